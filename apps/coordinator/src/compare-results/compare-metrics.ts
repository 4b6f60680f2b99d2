// The figures `pnpm compare` puts side by side: where each lives in a run report and in a bench result, its unit and
// which way is worse. Names are the threshold metrics' (model/metrics.ts) where one exists.
import type { BenchMetricKey } from '../bench/metrics.js';
import { findMetric, METRICS } from '../model/metrics.js';
import type { Report, ReportTimeSeries } from '../model/report.js';
import type { ReportV2 } from '../results/read-result.js';
import type { CompareUnit } from './comparison.js';

/** What every report schema this build reads has: the summary figures. */
export type AnyReport = Report | ReportV2;

/** How a figure is read from a run report. */
export interface RunFigure {
  /** The whole measured window's figure; null when the run has none (latency with nothing received). */
  value(report: AnyReport): number | null;
  /**
   * `series`: judged on the per-second values `perSecond` reads (interval `index` of the report's time series);
   * `exact`: a tally of the whole run, where any change is real; `none`: the series has no such column.
   */
  judged:
    | { by: 'series'; perSecond(series: ReportTimeSeries, index: number): number | null }
    | { by: 'exact' }
    | { by: 'none'; reason: string };
}

export interface CompareMetric {
  /** The name a --fail-on rule uses. */
  name: string;
  label: string;
  unit: CompareUnit;
  worse: 'higher' | 'lower';
  /** Absent: a bench-only figure. */
  run?: RunFigure;
  /** The bench figure of the same meaning; absent: a run-only figure. */
  bench?: BenchMetricKey;
}

const MB = 1_000_000;

type Column = Exclude<keyof ReportTimeSeries['fleet'], 'tMs'>;

/** The fleet's value of one interval. */
const fleet =
  (column: Column) =>
  (series: ReportTimeSeries, index: number): number | null =>
    series.fleet[column][index] ?? null;

/** A count of the interval as a rate per second. */
const fleetRate =
  (column: Column) =>
  (series: ReportTimeSeries, index: number): number | null => {
    const count = series.fleet[column][index];
    return count === null || count === undefined ? null : (count * 1000) / series.intervalMs;
  };

/** The mean over the instances that reported the interval, `scale` applied. */
const perInstance =
  (column: Column, scale = 1) =>
  (series: ReportTimeSeries, index: number): number | null => {
    const values = series.instances
      .map((instance) => instance[column][index])
      .filter((value): value is number => typeof value === 'number');
    return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length / scale;
  };

/** The mean over instance rows of one field. */
const instanceMean =
  (pick: (row: AnyReport['instances'][number]) => number) =>
  (report: AnyReport): number | null =>
    report.instances.length === 0
      ? null
      : report.instances.reduce((sum, row) => sum + pick(row), 0) / report.instances.length;

/** A threshold metric's whole-window value (the registry reads only fields every schema has). */
const threshold =
  (name: keyof typeof METRICS) =>
  (report: AnyReport): number | null =>
    METRICS[name].read(report as Report);

const NO_P999_SERIES =
  "a run report's series has no per-second p99.9 (only p50, p99 and max): judge p99 or max, or compare benches of several runs";

export const COMPARE_METRICS: readonly CompareMetric[] = [
  {
    name: 'p50',
    label: 'latency p50',
    unit: 'us',
    worse: 'higher',
    run: { value: threshold('p50'), judged: { by: 'series', perSecond: fleet('latencyP50Us') } },
    bench: 'latencyP50Us',
  },
  {
    name: 'p99',
    label: 'latency p99',
    unit: 'us',
    worse: 'higher',
    run: { value: threshold('p99'), judged: { by: 'series', perSecond: fleet('latencyP99Us') } },
    bench: 'latencyP99Us',
  },
  {
    name: 'p999',
    label: 'latency p99.9',
    unit: 'us',
    worse: 'higher',
    run: { value: threshold('p999'), judged: { by: 'none', reason: NO_P999_SERIES } },
    bench: 'latencyP999Us',
  },
  {
    name: 'max',
    label: 'latency max',
    unit: 'us',
    worse: 'higher',
    run: { value: threshold('max'), judged: { by: 'series', perSecond: fleet('latencyMaxUs') } },
    bench: 'latencyMaxUs',
  },
  {
    name: 'transitP99',
    label: 'transit p99',
    unit: 'us',
    worse: 'higher',
    run: { value: threshold('transitP99'), judged: { by: 'series', perSecond: fleet('transitP99Us') } },
    bench: 'transitP99Us',
  },
  {
    name: 'deliveredPerSec',
    label: 'delivered/s',
    unit: 'eventsPerSec',
    worse: 'lower',
    run: { value: threshold('deliveredPerSec'), judged: { by: 'series', perSecond: fleetRate('delivered') } },
    bench: 'deliveredEventsPerSec',
  },
  {
    name: 'publishedPerSec',
    label: 'published/s',
    unit: 'eventsPerSec',
    worse: 'lower',
    run: { value: threshold('publishedPerSec'), judged: { by: 'series', perSecond: fleetRate('published') } },
    bench: 'publishedEventsPerSec',
  },
  {
    name: 'delivery',
    label: 'delivery ratio',
    unit: 'ratio',
    worse: 'lower',
    run: { value: threshold('delivery'), judged: { by: 'exact' } },
    bench: 'deliveryRatio',
  },
  {
    name: 'lost',
    label: 'lost',
    unit: 'count',
    worse: 'higher',
    run: { value: threshold('lost'), judged: { by: 'exact' } },
  },
  {
    name: 'cpuPercent',
    label: 'CPU per instance',
    unit: 'percent',
    worse: 'higher',
    run: {
      value: instanceMean((row) => row.cpuPercent),
      judged: { by: 'series', perSecond: perInstance('cpuPercent') },
    },
  },
  {
    name: 'cpuUsPerDelivered',
    label: 'CPU per delivered event',
    unit: 'us',
    worse: 'higher',
    bench: 'cpuUsPerDelivered',
  },
  {
    name: 'rssMb',
    label: 'RSS per instance',
    unit: 'mb',
    worse: 'higher',
    run: {
      value: instanceMean((row) => row.rssBytes / MB),
      judged: { by: 'series', perSecond: perInstance('rssBytes', MB) },
    },
    bench: 'rssPeakMeanMb',
  },
  {
    name: 'eventLoopDelayP99',
    label: 'event-loop delay p99',
    unit: 'us',
    worse: 'higher',
    run: {
      value: (report) => report.eventLoopDelayUs.p99,
      judged: { by: 'series', perSecond: fleet('eventLoopDelayP99Us') },
    },
  },
];

/** Other spellings a rule may use, lower case. */
const ALIASES: Readonly<Record<string, string>> = {
  'delivered/s': 'deliveredPerSec',
  'published/s': 'publishedPerSec',
  'p99.9': 'p999',
  cpu: 'cpuPercent',
  rss: 'rssMb',
  eventloopp99: 'eventLoopDelayP99',
};

/** The figure a user-written name means (case-insensitive; threshold metric aliases too), or undefined. */
export function findCompareMetric(written: string): CompareMetric | undefined {
  const lower = written.toLowerCase();
  const name = ALIASES[lower] ?? findMetric(written) ?? written;
  return COMPARE_METRICS.find((metric) => metric.name.toLowerCase() === name.toLowerCase());
}
