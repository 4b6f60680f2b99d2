// `pnpm bench --find-max`: the highest rate that holds the SLO for the raw floor and for the bridge, on one Redis.

import type { HarnessOptions } from '../cli/options.js';
import type { TransportName } from '../cli/option-values.js';
import { FindMaxStopped, type FindMaxDeps, type FindMaxResult, type FindMaxStep } from '../find-max/find-max.js';
import { harnessOptionsFor, type RunSettings } from './plan.js';
import { ratioOf } from './summarize.js';

export interface FindMaxPair {
  /** Null when the search never ran (interrupted before it). */
  raw: FindMaxResult | null;
  bridge: FindMaxResult | null;
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
  onStep?: (transport: TransportName, step: FindMaxStep, index: number) => void;
}

/** Raw first, then the bridge; after a search stops early (a step could not run, or interrupted) the next is skipped. */
export async function findMaxPair(settings: RunSettings, deps: FindMaxPairDeps): Promise<FindMaxPair> {
  const found: Record<TransportName, FindMaxResult | null> = { raw: null, bridge: null };
  for (const transport of ['raw', 'bridge'] as const) {
    if (deps.findMaxDeps.signal.aborted) return { ...found, ratio: null, stopped: 'interrupted' };
    const base = harnessOptionsFor({ procs: deps.procs, transport }, settings, deps.redisUrl);
    try {
      found[transport] = await deps.findMaxRate(base, {
        ...deps.findMaxDeps,
        onStep: (step, index) => deps.onStep?.(transport, step, index),
      });
    } catch (error) {
      if (!(error instanceof FindMaxStopped)) throw error;
      found[transport] = error.result;
      return { ...found, ratio: null, stopped: `${transport}: ${error.message}` };
    }
  }
  return {
    ...found,
    ratio: ratioOf(found.bridge?.maxRateEventsPerSec ?? null, found.raw?.maxRateEventsPerSec ?? null),
    stopped: null,
  };
}
