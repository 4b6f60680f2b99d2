// `pnpm bench --drivers=a,b,c`: every driver once per round on the same schedule, pacer, payload and Redis, the
// order rotated each round; per driver the median [min-max] over rounds and, per round, its ratio to the base driver.
import type { PacerName } from '../config/option-names.js';
import { BENCH_METRIC_KEYS } from './metrics.js';
import type { PlannedRun } from './plan.js';
import type { BenchRun } from './run-pairs.js';
import { ratioOf, spanOf, type SpanByMetric } from './summarize.js';

/** The driver ratios are taken against: `raw` (the floor) when listed, else the first driver. */
export const baseDriverOf = (drivers: readonly string[]): string =>
  drivers.includes('raw') ? 'raw' : (drivers[0] ?? 'raw');

/**
 * `rounds` rounds of every driver once, each round starting one driver later than the one before (a, b, c; b, c, a;
 * c, a, b), so no driver always runs first or right after the same one.
 */
export function planDriverRuns(
  drivers: readonly string[],
  procs: number,
  rounds: number,
  pacer: PacerName,
): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    for (let i = 0; i < drivers.length; i += 1) {
      const driver = drivers[(i + round - 1) % drivers.length]!;
      runs.push({ order: runs.length + 1, procs, pair: round, transport: driver, pacer });
    }
  }
  return runs;
}

export interface DriverSummary {
  /** The --drivers entry: a built-in's name or a module path. */
  driver: string;
  roundsCompleted: number;
  figures: SpanByMetric;
  /** Per round, this driver over the base driver in the same round; null for the base itself. */
  ratio: SpanByMetric | null;
}

export interface DriversSummary {
  procs: number;
  roundsPlanned: number;
  base: string;
  drivers: DriverSummary[];
}

export function summarizeDrivers(
  runs: readonly BenchRun[],
  drivers: readonly string[],
  procs: number,
  roundsPlanned: number,
): DriversSummary {
  const base = baseDriverOf(drivers);
  const completed = runs.filter((run) => run.figures !== null);
  const inRound = (driver: string, round: number) =>
    completed.find((run) => run.transport === driver && run.pair === round);
  const rounds = Array.from({ length: roundsPlanned }, (_, index) => index + 1);
  return {
    procs,
    roundsPlanned,
    base,
    drivers: drivers.map((driver) => {
      const figures = {} as SpanByMetric;
      const ratio = {} as SpanByMetric;
      for (const key of BENCH_METRIC_KEYS) {
        const values = rounds.map((round) => inRound(driver, round)?.figures?.[key] ?? null);
        figures[key] = spanOf(values);
        ratio[key] = spanOf(
          rounds.map((round, index) => ratioOf(values[index] ?? null, inRound(base, round)?.figures?.[key] ?? null)),
        );
      }
      return {
        driver,
        roundsCompleted: rounds.filter((round) => inRound(driver, round) !== undefined).length,
        figures,
        ratio: driver === base ? null : ratio,
      };
    }),
  };
}
