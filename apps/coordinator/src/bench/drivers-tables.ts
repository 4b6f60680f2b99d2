// A drivers bench as tables (shared by the terminal, BENCHMARKS.md and the README's generated block): each driver's
// figures as median [min-max] over rounds, their ratios to the base driver, and each driver's find-max answer.
import { formatInteger } from '../render/format.js';
import { type CellTable, formatFigure, formatRatio, formatSpan } from './cells.js';
import type { DriversSummary } from './drivers-plan.js';
import type { FindMaxDrivers } from './find-max-drivers.js';
import { type BenchMetricKey, benchMetric } from './metrics.js';

/** The figures a drivers table shows, in order. */
export const DRIVER_COLUMNS: readonly BenchMetricKey[] = [
  'latencyP50Us',
  'latencyP99Us',
  'transitP50Us',
  'transitP99Us',
  'cpuUsPerDelivered',
  'rssPeakMeanMb',
  'deliveryRatio',
];

/** One row per driver: rounds completed, then each figure as median [min-max]. */
export function driversTable(summary: DriversSummary): CellTable {
  const metrics = DRIVER_COLUMNS.map(benchMetric);
  return {
    headers: ['driver', 'rounds', ...metrics.map((metric) => metric.label)],
    rows: summary.drivers.map((entry) => [
      entry.driver,
      `${entry.roundsCompleted}/${summary.roundsPlanned}`,
      ...metrics.map((metric) => formatSpan(entry.figures[metric.key], (value) => formatFigure(metric, value))),
    ]),
  };
}

/** One row per driver but the base: each figure over the base driver's in the same round, median [min-max]. */
export function driverRatiosTable(summary: DriversSummary): CellTable {
  const metrics = DRIVER_COLUMNS.filter((key) => key !== 'deliveryRatio').map(benchMetric);
  return {
    headers: [`driver / ${summary.base}`, ...metrics.map((metric) => metric.short)],
    rows: summary.drivers
      .filter((entry) => entry.ratio !== null)
      .map((entry) => [
        entry.driver,
        ...metrics.map((metric) => formatSpan(entry.ratio?.[metric.key] ?? null, formatRatio)),
      ]),
  };
}

/** Each driver's highest sustainable rate, its ratio to the base driver's, and how many steps the search took. */
export function findMaxDriversTable(found: FindMaxDrivers): CellTable {
  return {
    headers: ['driver', 'max sustainable rate (events/s)', `/ ${found.base}`, 'steps'],
    rows: found.drivers.map((entry) => [
      entry.driver,
      entry.result === null
        ? 'not searched'
        : entry.result.maxRateEventsPerSec === null
          ? 'none'
          : formatInteger(entry.result.maxRateEventsPerSec),
      entry.ratio === null ? '-' : formatRatio(entry.ratio),
      entry.result === null ? '-' : String(entry.result.steps.length),
    ]),
  };
}

/** The README's short table: medians only, one row per driver. */
export function driversMediansTable(summary: DriversSummary): CellTable {
  const metrics = DRIVER_COLUMNS.map(benchMetric);
  return {
    headers: ['driver', ...metrics.map((metric) => metric.label)],
    rows: summary.drivers.map((entry) => [
      entry.driver,
      ...metrics.map((metric) => formatFigure(metric, entry.figures[metric.key]?.median)),
    ]),
  };
}
