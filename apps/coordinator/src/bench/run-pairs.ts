// Runs the planned raw/bridge runs one after another on one Redis, collecting each run's figures.

import type { HarnessOptions } from '../config/harness-options.js';
import type { HarnessDeps, HarnessResult } from '../run/harness-io.js';
import { figuresOf, type CpuMethod } from './figures.js';
import type { RunFigures } from './metrics.js';
import type { FloorRun } from './floor.js';
import { harnessOptionsFor, type PlannedRun, type RunSettings } from './plan.js';

export type BenchRunOutcome = 'complete' | 'interrupted' | 'failed';

export interface BenchRun extends PlannedRun {
  outcome: BenchRunOutcome;
  /** The harness's exit code (1 = a default threshold failed: the figures still count, see failedThresholds). */
  exitCode: number;
  error: string | undefined;
  runId: string | undefined;
  /** ISO time the measured window started. */
  startedAt: string | undefined;
  /** Worker pids, for checking nothing is left behind. */
  pids: number[];
  redisVersion: string | undefined;
  /** Default thresholds (delivery==100%, selfReceived==0, amplification) that failed: the figures are suspect. */
  failedThresholds: string[];
  cpuMethod: CpuMethod | undefined;
  /** Cores' worth of CPU processes outside the bench used during this run; null where it was not measured. */
  foreignCores: number | null;
  /** Null unless the run completed. */
  figures: RunFigures | null;
  /**
   * Bytes Redis held for the run's stream at its end (MEMORY USAGE, every entry sampled), for an arm in the durable
   * mode (evbridge@at-least-once); absent for pub/sub arms, which leave nothing in Redis.
   */
  redisStreamBytes?: number;
}

export type RunHarnessFn = (options: HarnessOptions, deps: HarnessDeps) => Promise<HarnessResult>;

export interface RunPairsDeps {
  runHarness: RunHarnessFn;
  harnessDeps: HarnessDeps;
  redisUrl: string;
  /** Hears each run as it starts and ends (progress lines). */
  onStart?: (run: PlannedRun) => void;
  onRun?: (run: BenchRun) => void;
  /** Starts measuring other processes' CPU for one run; stop() gives its cores (null where it cannot tell). */
  measureForeign?: () => { stop(): number | null };
  /** Runs the harness-free floor for a `floor` run (floor.ts); a plan with floor runs needs it. */
  runFloor?: (procs: number, settings: RunSettings, redisUrl: string, signal: AbortSignal) => Promise<FloorRun>;
  /**
   * After a durable arm's run: the bytes its stream holds in Redis, then frees it (so the next run starts from the
   * same Redis); undefined when the stream is not there.
   */
  takeStreamBytes?: (namespace: string) => Promise<number | undefined>;
  /** Before every run after the first: resolves to a reason to stop the bench (the machine did not get quiet). */
  beforeRun?: (previous: BenchRun) => Promise<string | undefined>;
}

/** How runPairs ended: every planned run, an interruption, or a reason it stopped. */
export interface PairsOutcome {
  runs: BenchRun[];
  stoppedBecause: string | undefined;
}

/**
 * Runs `plan` in order; stops early when interrupted or when `beforeRun` gives a reason (a failed run is recorded and
 * the next one runs).
 */
export async function runPairs(
  plan: readonly PlannedRun[],
  settings: RunSettings,
  deps: RunPairsDeps,
): Promise<PairsOutcome> {
  const done: BenchRun[] = [];
  for (const planned of plan) {
    if (deps.harnessDeps.signal.aborted) break;
    const previous = done.at(-1);
    const stoppedBecause = previous === undefined ? undefined : await deps.beforeRun?.(previous);
    if (stoppedBecause !== undefined) return { runs: done, stoppedBecause };
    deps.onStart?.(planned);
    const meter = deps.measureForeign?.();
    let run: BenchRun;
    if (planned.transport === 'floor') run = await floorRunOf(planned, settings, deps);
    else {
      const options = harnessOptionsFor({ ...planned, transport: planned.transport }, settings, deps.redisUrl);
      const result = await deps.runHarness(options, deps.harnessDeps);
      run = benchRunOf(planned, result);
      const namespace = result.report?.run.namespace;
      if (options.delivery === 'at-least-once' && namespace !== undefined && deps.takeStreamBytes !== undefined) {
        const bytes = await deps.takeStreamBytes(namespace);
        if (bytes !== undefined) run.redisStreamBytes = bytes;
      }
    }
    run.foreignCores = meter?.stop() ?? null;
    done.push(run);
    deps.onRun?.(run);
    if (run.outcome === 'interrupted') break;
  }
  return { runs: done, stoppedBecause: undefined };
}

/** A floor run as a bench run: its figures, or why it could not be carried out (interrupted when the bench was). */
async function floorRunOf(planned: PlannedRun, settings: RunSettings, deps: RunPairsDeps): Promise<BenchRun> {
  const base = {
    ...planned,
    exitCode: 0,
    error: undefined,
    runId: undefined,
    startedAt: undefined,
    redisVersion: undefined,
    failedThresholds: [],
    cpuMethod: undefined,
    foreignCores: null,
  };
  if (deps.runFloor === undefined)
    return { ...base, outcome: 'failed', exitCode: 2, error: 'no floor runner', pids: [], figures: null };
  try {
    const floor = await deps.runFloor(planned.procs, settings, deps.redisUrl, deps.harnessDeps.signal);
    return { ...base, outcome: 'complete', pids: floor.pids, figures: floor.figures };
  } catch (error) {
    const interrupted = deps.harnessDeps.signal.aborted;
    return {
      ...base,
      outcome: interrupted ? 'interrupted' : 'failed',
      exitCode: interrupted ? 130 : 2,
      error: error instanceof Error ? error.message : String(error),
      pids: [],
      figures: null,
    };
  }
}

export function benchRunOf(planned: PlannedRun, result: HarnessResult): BenchRun {
  const report = result.report;
  const outcome: BenchRunOutcome = report?.outcome ?? (result.exitCode >= 128 ? 'interrupted' : 'failed');
  const measured = report !== undefined && outcome === 'complete' ? figuresOf(report) : undefined;
  return {
    ...planned,
    outcome,
    exitCode: result.exitCode,
    error: result.error,
    runId: report?.run.id,
    startedAt: report?.run.startedAt,
    pids: report?.instances.map((row) => row.pid) ?? [],
    redisVersion: report?.run.redis.version,
    failedThresholds:
      report?.thresholds.filter((threshold) => !threshold.passed).map((threshold) => threshold.expression) ?? [],
    cpuMethod: measured?.cpuMethod,
    // Set by runPairs, which measures it around the run.
    foreignCores: null,
    figures: measured?.figures ?? null,
  };
}
