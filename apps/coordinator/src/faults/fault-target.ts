// Which worker the worker faults hit: --fault-target, or one picked at random from a seed the report prints.
import { randomInt } from 'node:crypto';
import type { HarnessOptions } from '../config/harness-options.js';
import { targetsWorker } from './parse-fault.js';

/** --fault-seed takes 0..2^31-1. */
export const FAULT_SEED_MAX = 2 ** 31 - 1;

/** The worker index `seed` picks among `procs` (mulberry32's first draw: the same seed, the same worker). */
export function pickTarget(seed: number, procs: number): number {
  let state = (seed + 0x6d2b79f5) >>> 0;
  state = Math.imul(state ^ (state >>> 15), state | 1);
  state ^= state + Math.imul(state ^ (state >>> 7), state | 61);
  const fraction = ((state ^ (state >>> 14)) >>> 0) / 4_294_967_296;
  return Math.min(procs - 1, Math.floor(fraction * procs));
}

/**
 * Options with the target settled: a worker fault without --fault-target gets a worker picked by --fault-seed, or
 * by a fresh random seed; the seed is kept in `faultSeed` for the report. Without worker faults nothing changes.
 */
export function chooseFaultTarget<T extends Pick<HarnessOptions, 'faults' | 'faultTarget' | 'faultSeed' | 'procs'>>(
  options: T,
  newSeed: () => number = () => randomInt(0, FAULT_SEED_MAX),
): T {
  if (options.faultTarget !== undefined || !targetsWorker(options.faults ?? [])) return options;
  const seed = options.faultSeed ?? newSeed();
  return { ...options, faultTarget: pickTarget(seed, options.procs), faultSeed: seed };
}
