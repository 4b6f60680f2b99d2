// `pnpm bench --find-max`: the highest rate that holds the SLO for the harness-free floor, the raw transport and the
// bridge, on one Redis.

import type { HarnessOptions } from '../config/harness-options.js';
import { FIND_MAX_DEFAULTS } from '../config/defaults.js';
import { DEFAULT_SLO } from '../config/slo.js';
import {
  FindMaxStopped,
  searchMaxRate,
  type FindMaxArm,
  type FindMaxDeps,
  type FindMaxResult,
  type FindMaxStep,
  type StepRun,
} from '../find-max/find-max.js';
import type { runFloor } from './floor.js';
import { type BenchArmName, harnessOptionsFor, type RunSettings } from './plan.js';
import { ratioOf } from './summarize.js';

export interface FindMaxPair {
  /** The harness-free floor's search; null when it never ran (interrupted before it, or JSON from before it). */
  floor?: FindMaxResult | null;
  /** Null when the search never ran (interrupted before it). */
  raw: FindMaxResult | null;
  bridge: FindMaxResult | null;
  /** raw max / floor max: what the harness costs in sustainable rate; null when either has no answer. */
  rawToFloor?: number | null;
  /** bridge max / raw max; null when either has no answer or a search stopped early. */
  ratio: number | null;
  /** Why a search ended before it answered (its steps so far are kept); null when both answered. */
  stopped: string | null;
}

export type FindMaxFn = (base: HarnessOptions, deps: FindMaxDeps) => Promise<FindMaxResult>;

export interface FindMaxPairDeps {
  findMaxRate: FindMaxFn;
  /** Harness deps plus the step settings; `onStep` below also hears which transport a step belongs to. */
  findMaxDeps: Omit<FindMaxDeps, 'onStep'>;
  redisUrl: string;
  procs: number;
  /** Runs the floor's steps; without it the floor is not searched. */
  runFloor?: typeof runFloor;
  onStep?: (arm: FindMaxArm, step: FindMaxStep, index: number) => void;
}

/**
 * The floor first, then raw, then the bridge, each searched from the same start with the same SLO and steps; after a
 * search stops early (a step could not run, or interrupted) the next is skipped.
 */
export async function findMaxPair(settings: RunSettings, deps: FindMaxPairDeps): Promise<FindMaxPair> {
  const found: Record<BenchArmName, FindMaxResult | null> = { floor: null, raw: null, bridge: null };
  const answer = (stopped: string | null): FindMaxPair => ({
    ...found,
    rawToFloor: ratioOf(found.raw?.maxRateEventsPerSec ?? null, found.floor?.maxRateEventsPerSec ?? null),
    ratio:
      stopped === null
        ? ratioOf(found.bridge?.maxRateEventsPerSec ?? null, found.raw?.maxRateEventsPerSec ?? null)
        : null,
    stopped,
  });
  const arms: BenchArmName[] = deps.runFloor === undefined ? ['raw', 'bridge'] : ['floor', 'raw', 'bridge'];
  for (const arm of arms) {
    if (deps.findMaxDeps.signal.aborted) return answer('interrupted');
    const onStep = (step: FindMaxStep, index: number): void => deps.onStep?.(arm, step, index);
    try {
      found[arm] =
        arm === 'floor'
          ? await findFloorMax(settings, deps, deps.runFloor!, onStep)
          : await deps.findMaxRate(harnessOptionsFor({ procs: deps.procs, transport: arm }, settings, deps.redisUrl), {
              ...deps.findMaxDeps,
              onStep,
            });
    } catch (error) {
      if (!(error instanceof FindMaxStopped)) throw error;
      found[arm] = error.result;
      return answer(`${arm}: ${error.message}`);
    }
  }
  return answer(null);
}

/** The floor's search: the same search, SLO and step lengths as the harness's, each step one runFloor. */
function findFloorMax(
  settings: RunSettings,
  deps: FindMaxPairDeps,
  run: typeof runFloor,
  onStep: (step: FindMaxStep, index: number) => void,
): Promise<FindMaxResult> {
  const { signal, logger } = deps.findMaxDeps;
  const durationMs = deps.findMaxDeps.stepDurationMs ?? FIND_MAX_DEFAULTS.stepDurationMs;
  const warmupMs = deps.findMaxDeps.stepWarmupMs ?? FIND_MAX_DEFAULTS.stepWarmupMs;
  const search = {
    arm: 'floor' as const,
    procs: deps.procs,
    startRateEventsPerSec: settings.rateEventsPerSec,
    slo: deps.findMaxDeps.slo ?? DEFAULT_SLO,
    maxSteps: deps.findMaxDeps.maxSteps ?? FIND_MAX_DEFAULTS.maxSteps,
    signal,
    logger,
    onStep,
  };
  return searchMaxRate(search, async (rate): Promise<StepRun> => {
    try {
      const { figures, counts } = await run(
        deps.procs,
        { ...settings, rateEventsPerSec: rate, durationMs, warmupMs },
        deps.redisUrl,
        signal,
      );
      return {
        kind: 'measured',
        figures: {
          targetEventsPerSec: rate,
          deliveryRatio: figures.deliveryRatio ?? 0,
          p99Us: figures.latencyP99Us ?? 0,
          latencySamples: counts.received,
          publishedEventsPerSec: figures.publishedEventsPerSec ?? 0,
          publishResolutionEventsPerSec: (deps.procs * 1000) / durationMs,
        },
        lost: Math.max(0, counts.expected - counts.received),
        ...(figures.latencyP50Us === null ? {} : { p50Us: figures.latencyP50Us }),
      };
    } catch (error) {
      if (signal.aborted) return { kind: 'interrupted' };
      return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  });
}
