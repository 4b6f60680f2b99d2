// findMaxRate: the highest total publish rate that holds an SLO, by ramping then bisecting; one run per step, one Redis.

import { redactSecrets } from '@evbridge/bridge';
import { FIND_MAX_DEFAULTS } from '../cli/defaults.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import type { HarnessOptions } from '../cli/harness-options.js';
import { provideRedis, type RedisTarget } from '../run/redis-target.js';
import { runHarness, type HarnessDeps } from '../run/run-harness.js';
import type { Report } from '../report/types.js';
import { bestPassingRate, nextStep, type SearchSettings } from './search.js';
import { DEFAULT_SLO, assertValidSlo, judgeStep, type Slo } from './slo.js';

export { DEFAULT_SLO, type Slo } from './slo.js';

/** One measured rate: its verdict and the figures behind it. */
export interface FindMaxStep {
  /** The total target rate of this step. */
  rateEventsPerSec: number;
  passed: boolean;
  /** Why it failed, one phrase per objective missed (or why it could not be run); empty when it passed. */
  reasons: string[];
  deliveryRatio: number;
  /** Latency p99 from the intended send time. */
  p99Us: number;
  /** Achieved publish rate over the measured window. */
  publishedEventsPerSec: number;
  /** Deliveries that never arrived. */
  lost: number;
  /** Wall-clock time the step took, fork to exit (start-up, warm-up, measurement, drain). */
  durationMs: number;
}

export interface FindMaxResult {
  /** The highest rate that held the SLO below every rate that failed it; null when no rate tried held it. */
  maxRateEventsPerSec: number | null;
  steps: FindMaxStep[];
  slo: Slo;
  transport: 'bridge' | 'raw';
  procs: number;
}

export interface FindMaxDeps extends HarnessDeps {
  /** Default DEFAULT_SLO: delivery 100%, p99 < 10 ms, publish >= 97% of target. */
  slo?: Slo;
  /** Measured length of each step; default 5 s. */
  stepDurationMs?: number;
  /** Unmeasured traffic before each step is measured; default 2 s. */
  stepWarmupMs?: number;
  /** Steps measured at most; default 16. */
  maxSteps?: number;
  /** Called as each step finishes (also for a step that could not be run, just before the search stops). */
  onStep?: (step: FindMaxStep, index: number) => void;
}

export type FindMaxStopReason = 'run-failed' | 'interrupted';

/**
 * The search ended before it could answer: a step could not be run (exitCode 2) or SIGINT/SIGTERM stopped it
 * (130/143). `result` holds the steps measured so far and the best rate so far (not converged).
 */
export class FindMaxStopped extends Error {
  override name = 'FindMaxStopped';
  constructor(
    message: string,
    readonly reason: FindMaxStopReason,
    readonly exitCode: number,
    readonly result: FindMaxResult,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Ramps from base.rateEventsPerSec (doubling while steps pass), then bisects between the highest pass and the
 * lowest fail until they are within 5% or maxSteps are spent. Every step is one runHarness() on the same Redis:
 * base.redisUrl, or one private redis-server started here and stopped on every path. base.durationMs, warmupMs,
 * thresholds and jsonPath are not used. Resolves with the answer (maxRateEventsPerSec null when even the lowest
 * rate failed); rejects with FindMaxStopped when a step cannot be run or deps.signal aborts, and with a
 * TypeError for invalid settings.
 */
export async function findMaxRate(base: HarnessOptions, deps: FindMaxDeps): Promise<FindMaxResult> {
  const slo = deps.slo ?? DEFAULT_SLO;
  const stepDurationMs = deps.stepDurationMs ?? FIND_MAX_DEFAULTS.stepDurationMs;
  const stepWarmupMs = deps.stepWarmupMs ?? FIND_MAX_DEFAULTS.stepWarmupMs;
  const maxSteps = deps.maxSteps ?? FIND_MAX_DEFAULTS.maxSteps;
  assertValidSettings(base, { slo, stepDurationMs, stepWarmupMs, maxSteps });
  const search: SearchSettings = {
    startRateEventsPerSec: base.rateEventsPerSec,
    maxSteps,
    tolerance: FIND_MAX_DEFAULTS.tolerance,
    minRateEventsPerSec: FIND_MAX_DEFAULTS.minRatePerProcEventsPerSec * base.procs,
  };
  const { logger } = deps;
  const steps: FindMaxStep[] = [];
  const resultWith = (maxRateEventsPerSec: number | null): FindMaxResult => ({
    maxRateEventsPerSec,
    steps: [...steps],
    slo,
    transport: base.transport,
    procs: base.procs,
  });
  const bestSoFar = (): number | null => bestPassingRate(steps);
  const interrupted = (): FindMaxStopped => {
    const signalName = String(deps.signal.reason ?? 'SIGINT');
    const exitCode = signalName === 'SIGTERM' ? EXIT_CODES.interruptedBySigterm : EXIT_CODES.interruptedBySigint;
    return new FindMaxStopped(`find-max interrupted by ${signalName} after ${steps.length} steps`, 'interrupted', exitCode, resultWith(bestSoFar()));
  };

  if (deps.signal.aborted) throw interrupted();
  let redis: RedisTarget;
  try {
    redis = await provideRedis(base.redisUrl, logger, base.redisCaFile);
    deps.secrets?.add(redis.secrets);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FindMaxStopped(`find-max could not start: ${message}`, 'run-failed', EXIT_CODES.runFailed, resultWith(null), { cause: error });
  }
  try {
    for (;;) {
      const decision = nextStep(steps, search);
      if (decision.kind === 'done') {
        logger.info({ maxRateEventsPerSec: decision.maxRateEventsPerSec, reason: decision.reason, steps: steps.length }, 'find-max done');
        return resultWith(decision.maxRateEventsPerSec);
      }
      if (deps.signal.aborted) throw interrupted();
      const rate = decision.rateEventsPerSec;
      logger.info({ rateEventsPerSec: rate, phase: decision.phase }, `find-max step ${steps.length + 1}: ${rate} events/s (${decision.phase})`);
      const startedMs = performance.now();
      const run = await runHarness(stepOptions(base, rate, redis.url, stepDurationMs, stepWarmupMs), deps);
      const durationMs = Math.round(performance.now() - startedMs);
      if (run.exitCode === EXIT_CODES.interruptedBySigint || run.exitCode === EXIT_CODES.interruptedBySigterm) throw interrupted();
      if (run.exitCode === EXIT_CODES.runFailed || run.report === undefined) {
        const reason = redactSecrets(run.error ?? 'the run ended without a report', [...run.secrets, ...redis.secrets]);
        const best = bestSoFar();
        const step = unrunStep(rate, reason, run.report, durationMs);
        steps.push(step);
        deps.onStep?.(step, steps.length - 1);
        throw new FindMaxStopped(
          `find-max stopped: the step at ${rate} events/s could not be run: ${reason}`,
          'run-failed',
          EXIT_CODES.runFailed,
          resultWith(best),
        );
      }
      const step = measuredStep(rate, run.report, slo, durationMs);
      steps.push(step);
      deps.onStep?.(step, steps.length - 1);
    }
  } finally {
    await redis.stop().catch((error: unknown) => logger.warn({ err: error }, 'could not stop the private redis-server'));
  }
}

function stepOptions(base: HarnessOptions, rate: number, redisUrl: string, durationMs: number, warmupMs: number): HarnessOptions {
  return { ...base, rateEventsPerSec: rate, durationMs, warmupMs, redisUrl, jsonPath: undefined, thresholds: [], findMax: undefined };
}

function measuredStep(rate: number, report: Report, slo: Slo, durationMs: number): FindMaxStep {
  const figures = {
    targetEventsPerSec: rate,
    deliveryRatio: report.totals.deliveryRatio,
    p99Us: report.latencyUs.p99,
    latencySamples: report.latencyUs.count,
    publishedEventsPerSec: report.throughput.publishedEventsPerSec,
    publishResolutionEventsPerSec: report.run.durationMs > 0 ? (report.run.procs * 1000) / report.run.durationMs : 0,
  };
  const verdict = judgeStep(figures, slo);
  return {
    rateEventsPerSec: rate,
    passed: verdict.passed,
    reasons: verdict.reasons,
    deliveryRatio: figures.deliveryRatio,
    p99Us: figures.p99Us,
    publishedEventsPerSec: figures.publishedEventsPerSec,
    lost: report.totals.lost,
    durationMs,
  };
}

/** A step the harness could not carry out: its figures as far as measured (0 when nothing was). */
function unrunStep(rate: number, reason: string, report: Report | undefined, durationMs: number): FindMaxStep {
  return {
    rateEventsPerSec: rate,
    passed: false,
    reasons: [`could not be run: ${reason}`],
    deliveryRatio: report?.totals.deliveryRatio ?? 0,
    p99Us: report?.latencyUs.p99 ?? 0,
    publishedEventsPerSec: report?.throughput.publishedEventsPerSec ?? 0,
    lost: report?.totals.lost ?? 0,
    durationMs,
  };
}

interface CheckedSettings {
  slo: Slo;
  stepDurationMs: number;
  stepWarmupMs: number;
  maxSteps: number;
}

function assertValidSettings(base: HarnessOptions, settings: CheckedSettings): void {
  assertValidSlo(settings.slo);
  if (!(Number.isSafeInteger(base.procs) && base.procs >= 2)) {
    throw new TypeError(`find-max needs options.procs >= 2 (got ${base.procs}): with one process no event reaches a peer`);
  }
  if (!(Number.isFinite(base.rateEventsPerSec) && base.rateEventsPerSec > 0)) {
    throw new TypeError(`options.rateEventsPerSec (the starting rate) must be a number > 0 (got ${base.rateEventsPerSec})`);
  }
  if (!(Number.isSafeInteger(settings.stepDurationMs) && settings.stepDurationMs > 0)) {
    throw new TypeError(`stepDurationMs must be a whole number of milliseconds > 0 (got ${settings.stepDurationMs})`);
  }
  if (!(Number.isSafeInteger(settings.stepWarmupMs) && settings.stepWarmupMs >= 0)) {
    throw new TypeError(`stepWarmupMs must be a whole number of milliseconds >= 0 (got ${settings.stepWarmupMs})`);
  }
  if (!(Number.isSafeInteger(settings.maxSteps) && settings.maxSteps >= 1)) {
    throw new TypeError(`maxSteps must be an integer >= 1 (got ${settings.maxSteps})`);
  }
}
