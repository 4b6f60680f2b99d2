// `pnpm bench --drivers=... --find-max`: each driver's highest rate that holds the SLO, searched one after another
// from the same start with the same SLO and steps on one Redis; each maximum over the base driver's.
import {
  FindMaxStopped,
  type FindMaxArm,
  type FindMaxDeps,
  type FindMaxResult,
  type FindMaxStep,
} from '../find-max/find-max.js';
import { baseDriverOf } from './drivers-plan.js';
import type { FindMaxFn } from './find-max-pair.js';
import { harnessOptionsFor, type RunSettings } from './plan.js';
import { ratioOf } from './summarize.js';

export interface DriverMax {
  driver: string;
  /** Null when the search never ran (interrupted, or an earlier search stopped). */
  result: FindMaxResult | null;
  /** This driver's maximum over the base driver's; null for the base, or when either has no answer. */
  ratio: number | null;
}

export interface FindMaxDrivers {
  base: string;
  drivers: DriverMax[];
  /** Why a search ended before it answered (its steps so far are kept); null when every search answered. */
  stopped: string | null;
}

export interface FindMaxDriversDeps {
  findMaxRate: FindMaxFn;
  findMaxDeps: Omit<FindMaxDeps, 'onStep'>;
  redisUrl: string;
  procs: number;
  onStep?: (arm: FindMaxArm, step: FindMaxStep, index: number) => void;
}

export async function findMaxDrivers(
  drivers: readonly string[],
  settings: RunSettings,
  deps: FindMaxDriversDeps,
): Promise<FindMaxDrivers> {
  const found = new Map<string, FindMaxResult>();
  let stopped: string | null = null;
  for (const driver of drivers) {
    if (deps.findMaxDeps.signal.aborted) {
      stopped = 'interrupted';
      break;
    }
    const onStep = (step: FindMaxStep, index: number): void => deps.onStep?.(driver, step, index);
    try {
      const base = harnessOptionsFor({ procs: deps.procs, transport: driver }, settings, deps.redisUrl);
      found.set(driver, await deps.findMaxRate(base, { ...deps.findMaxDeps, onStep }));
    } catch (error) {
      if (!(error instanceof FindMaxStopped)) throw error;
      found.set(driver, error.result);
      stopped = `${driver}: ${error.message}`;
      break;
    }
  }
  const base = baseDriverOf(drivers);
  const maxOf = (driver: string) => found.get(driver)?.maxRateEventsPerSec ?? null;
  return {
    base,
    drivers: drivers.map((driver) => ({
      driver,
      result: found.get(driver) ?? null,
      ratio: driver === base || stopped !== null ? null : ratioOf(maxOf(driver), maxOf(base)),
    })),
    stopped,
  };
}
