// findMaxRate: the highest total publish rate that holds an SLO, by ramping then bisecting; one run per step, one Redis.

import { redactSecrets } from '@evbridge/bridge';
import { FIND_MAX_DEFAULTS } from '../config/defaults.js';
import { EXIT_CODES } from '../config/exit-codes.js';
import type { HarnessOptions } from '../config/harness-options.js';
import { provideRedis, type RedisTarget } from '../run/redis-target.js';
import type { HarnessDeps } from '../run/harness-io.js';
import { runHarness } from '../run/run-harness.js';
import type { Report } from '../model/report.js';
import { bestPassingRate, nextStep, type SearchSettings } from './search.js';
import { DEFAULT_SLO, type Slo } from '../config/slo.js';
import { assertValidSlo, judgeStep, type StepFigures } from './slo.js';

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
  /** Latency p50 from the intended send time (absent in JSON from before it, and for a step that could not be run). */
  p50Us?: number;
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
  /** What was searched (the field keeps its name for the JSON's readers). */
  transport: FindMaxArm;
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

/** What a find-max searches: the harness with a transport, or the harness-free floor (`pnpm bench --find-max`). */
/** A driver's name (`evbridge`, `raw`, ...), or `floor` for the harness-free floor. */
export type FindMaxArm = string;

/** What a step that could not be carried out measured before it stopped. */
export type PartialStep = Pick<FindMaxStep, 'deliveryRatio' | 'p99Us' | 'publishedEventsPerSec' | 'lost'>;

/** One step's run, as a step runner reports it to the search. */
export type StepRun =
  | { kind: 'measured'; figures: StepFigures; lost: number; p50Us?: number }
  | { kind: 'failed'; reason: string; partial?: PartialStep }
  | { kind: 'interrupted' };

export interface SearchOptions {
  arm: FindMaxArm;
  procs: number;
  startRateEventsPerSec: number;
  slo: Slo;
  maxSteps: number;
  signal: AbortSignal;
  logger: FindMaxDeps['logger'];
  onStep?: FindMaxDeps['onStep'];
}

/**
 * The search itself, whatever runs a step: ramps from startRateEventsPerSec (doubling while steps pass), then
 * bisects between the highest pass and the lowest fail until they are within 5% or maxSteps are spent, calling
 * `runStep` once per rate. Resolves with the answer; rejects with FindMaxStopped when a step fails to run or the
 * signal aborts.
 */
export async function searchMaxRate(
  options: SearchOptions,
  runStep: (rateEventsPerSec: number) => Promise<StepRun>,
): Promise<FindMaxResult> {
  const { slo, logger, signal } = options;
  const search: SearchSettings = {
    startRateEventsPerSec: options.startRateEventsPerSec,
    maxSteps: options.maxSteps,
    tolerance: FIND_MAX_DEFAULTS.tolerance,
    minRateEventsPerSec: FIND_MAX_DEFAULTS.minRatePerProcEventsPerSec * options.procs,
  };
  const steps: FindMaxStep[] = [];
  const resultWith = (maxRateEventsPerSec: number | null): FindMaxResult => ({
    maxRateEventsPerSec,
    steps: [...steps],
    slo,
    transport: options.arm,
    procs: options.procs,
  });
  const interrupted = (): FindMaxStopped => interruptedError(signal, steps.length, resultWith(bestPassingRate(steps)));
  for (;;) {
    const decision = nextStep(steps, search);
    if (decision.kind === 'done') {
      logger.info(
        { maxRateEventsPerSec: decision.maxRateEventsPerSec, reason: decision.reason, steps: steps.length },
        'find-max done',
      );
      return resultWith(decision.maxRateEventsPerSec);
    }
    if (signal.aborted) throw interrupted();
    const rate = decision.rateEventsPerSec;
    logger.info(
      { rateEventsPerSec: rate, phase: decision.phase },
      `find-max step ${steps.length + 1}: ${rate} events/s (${decision.phase})`,
    );
    const startedMs = performance.now();
    const run = await runStep(rate);
    const durationMs = Math.round(performance.now() - startedMs);
    if (run.kind === 'interrupted') throw interrupted();
    if (run.kind === 'failed') {
      const step = unrunStep(rate, run.reason, run.partial, durationMs);
      steps.push(step);
      options.onStep?.(step, steps.length - 1);
      throw new FindMaxStopped(
        `find-max stopped: the step at ${rate} events/s could not be run: ${run.reason}`,
        'run-failed',
        EXIT_CODES.runFailed,
        resultWith(bestPassingRate(steps)),
      );
    }
    const verdict = judgeStep(run.figures, slo);
    const step: FindMaxStep = {
      rateEventsPerSec: rate,
      passed: verdict.passed,
      reasons: verdict.reasons,
      deliveryRatio: run.figures.deliveryRatio,
      p99Us: run.figures.p99Us,
      ...(run.p50Us === undefined ? {} : { p50Us: run.p50Us }),
      publishedEventsPerSec: run.figures.publishedEventsPerSec,
      lost: run.lost,
      durationMs,
    };
    steps.push(step);
    options.onStep?.(step, steps.length - 1);
  }
}

function interruptedError(signal: AbortSignal, stepCount: number, result: FindMaxResult): FindMaxStopped {
  const signalName = String(signal.reason ?? 'SIGINT');
  const exitCode = signalName === 'SIGTERM' ? EXIT_CODES.interruptedBySigterm : EXIT_CODES.interruptedBySigint;
  return new FindMaxStopped(
    `find-max interrupted by ${signalName} after ${stepCount} steps`,
    'interrupted',
    exitCode,
    result,
  );
}

/**
 * searchMaxRate with every step one runHarness() on the same Redis: base.redisUrl, or one private redis-server
 * started here and stopped on every path. base.durationMs, warmupMs, thresholds and jsonPath are not used. Resolves
 * with the answer (maxRateEventsPerSec null when even the lowest rate failed); rejects with FindMaxStopped when a
 * step cannot be run or deps.signal aborts, and with a TypeError for invalid settings.
 */
export async function findMaxRate(base: HarnessOptions, deps: FindMaxDeps): Promise<FindMaxResult> {
  const slo = deps.slo ?? DEFAULT_SLO;
  const stepDurationMs = deps.stepDurationMs ?? FIND_MAX_DEFAULTS.stepDurationMs;
  const stepWarmupMs = deps.stepWarmupMs ?? FIND_MAX_DEFAULTS.stepWarmupMs;
  const maxSteps = deps.maxSteps ?? FIND_MAX_DEFAULTS.maxSteps;
  assertValidSettings(base, { slo, stepDurationMs, stepWarmupMs, maxSteps });
  const { logger } = deps;
  const search: SearchOptions = {
    arm: base.driver,
    procs: base.procs,
    startRateEventsPerSec: base.rateEventsPerSec,
    slo,
    maxSteps,
    signal: deps.signal,
    logger,
    ...(deps.onStep === undefined ? {} : { onStep: deps.onStep }),
  };
  const notStarted = (): FindMaxResult => ({
    maxRateEventsPerSec: null,
    steps: [],
    slo,
    transport: base.driver,
    procs: base.procs,
  });
  if (deps.signal.aborted) throw interruptedError(deps.signal, 0, notStarted());
  let redis: RedisTarget;
  try {
    redis = await provideRedis(base.redisUrl, logger, {
      caFile: base.redisCaFile,
      topology: base.topology,
      appendOnly: base.delivery === 'at-least-once',
    });
    deps.secrets?.add(redis.secrets);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FindMaxStopped(`find-max could not start: ${message}`, 'run-failed', EXIT_CODES.runFailed, notStarted(), {
      cause: error,
    });
  }
  try {
    return await searchMaxRate(search, async (rate): Promise<StepRun> => {
      const run = await runHarness(stepOptions(base, rate, redis.url, stepDurationMs, stepWarmupMs), deps);
      if (run.exitCode === EXIT_CODES.interruptedBySigint || run.exitCode === EXIT_CODES.interruptedBySigterm)
        return { kind: 'interrupted' };
      const { report } = run;
      if (run.exitCode === EXIT_CODES.runFailed || report === undefined) {
        const reason = redactSecrets(run.error ?? 'the run ended without a report', [...run.secrets, ...redis.secrets]);
        const partial = report && {
          deliveryRatio: report.totals.deliveryRatio,
          p99Us: report.latencyUs.p99,
          publishedEventsPerSec: report.throughput.publishedEventsPerSec,
          lost: report.totals.lost,
        };
        return partial === undefined ? { kind: 'failed', reason } : { kind: 'failed', reason, partial };
      }
      return {
        kind: 'measured',
        figures: stepFiguresOf(rate, report),
        lost: report.totals.lost,
        p50Us: report.latencyUs.p50,
      };
    });
  } finally {
    await redis
      .stop()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not stop the private redis-server'));
  }
}

function stepOptions(
  base: HarnessOptions,
  rate: number,
  redisUrl: string,
  durationMs: number,
  warmupMs: number,
): HarnessOptions {
  return {
    ...base,
    rateEventsPerSec: rate,
    durationMs,
    warmupMs,
    redisUrl,
    jsonPath: undefined,
    thresholds: [],
    findMax: undefined,
  };
}

function stepFiguresOf(rate: number, report: Report): StepFigures {
  return {
    targetEventsPerSec: rate,
    deliveryRatio: report.totals.deliveryRatio,
    p99Us: report.latencyUs.p99,
    latencySamples: report.latencyUs.count,
    publishedEventsPerSec: report.throughput.publishedEventsPerSec,
    publishResolutionEventsPerSec: report.run.durationMs > 0 ? (report.run.procs * 1000) / report.run.durationMs : 0,
  };
}

/** A step that could not be carried out: its figures as far as measured (0 when nothing was). */
function unrunStep(rate: number, reason: string, partial: PartialStep | undefined, durationMs: number): FindMaxStep {
  return {
    rateEventsPerSec: rate,
    passed: false,
    reasons: [`could not be run: ${reason}`],
    deliveryRatio: partial?.deliveryRatio ?? 0,
    p99Us: partial?.p99Us ?? 0,
    publishedEventsPerSec: partial?.publishedEventsPerSec ?? 0,
    lost: partial?.lost ?? 0,
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
    throw new TypeError(
      `find-max needs options.procs >= 2 (got ${base.procs}): with one process no event reaches a peer`,
    );
  }
  if (!(Number.isFinite(base.rateEventsPerSec) && base.rateEventsPerSec > 0)) {
    throw new TypeError(
      `options.rateEventsPerSec (the starting rate) must be a number > 0 (got ${base.rateEventsPerSec})`,
    );
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
