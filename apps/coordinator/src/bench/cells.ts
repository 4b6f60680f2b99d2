// The bench's tables as header + rows of strings, shared by the terminal renderer and the BENCHMARKS.md section.

import { formatDecimal, formatPercent } from '../render/format.js';
import type { FindMaxResult } from '../find-max/find-max.js';
import { BENCH_METRICS, benchMetric, type BenchMetric, type BenchMetricKey } from './metrics.js';
import type { ProcsSummary, Span } from './summarize.js';
import type { SweepFit } from './sweep-fit.js';

export interface CellTable {
  headers: string[];
  /** Columns after the first are numbers: right-aligned. */
  rows: string[][];
}

const RATIO_DIGITS = 2;

/** A figure as printed: percent for the delivery ratio, the metric's decimals otherwise; "-" when absent. */
export function formatFigure(metric: BenchMetric, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  if (metric.key === 'deliveryRatio') return formatPercent(value);
  return formatDecimal(value, metric.digits);
}

/** "1,150 [1,100-1,200]"; just the median when min = max (one pair) or absent. */
export function formatSpan(span: Span | null, format: (value: number) => string): string {
  if (span === null) return '-';
  if (span.count === 1 || span.min === span.max) return format(span.median);
  return `${format(span.median)} [${format(span.min)}-${format(span.max)}]`;
}

export const formatRatio = (value: number): string => formatDecimal(value, RATIO_DIGITS);

/**
 * One process count: a row per metric, raw / bridge / bridge:raw on the bench's pacer, each a median [min-max] over
 * the pairs; with a pacer effect, then the bridge on the other pacer, the bridge's own ratio between the pacers and the
 * bridge on the other pacer over the floor (with --pacer=naive-interval: the bridge's best pacer against the floor's
 * interval pacer).
 */
export function summaryTable(summary: ProcsSummary, pacer: string): CellTable {
  const effect = summary.pacerEffect;
  const overhead = summary.harnessOverhead;
  const headers = ['metric'];
  if (overhead !== null) headers.push('floor (no harness)', 'raw/floor');
  headers.push('raw', 'bridge', 'bridge/raw');
  if (effect !== null) headers.push(`bridge, ${effect.pacer}`, `bridge ${pacer} / ${effect.pacer}`);
  const toFloor = effect?.toFloor ?? null;
  if (toFloor !== null) headers.push(`bridge ${effect!.pacer} / floor`);
  const rows = BENCH_METRICS.filter((metric) => hasAny(summary, metric.key)).map((metric) => {
    const figure = (value: number) => formatFigure(metric, value);
    const row = [metric.label];
    if (overhead !== null)
      row.push(formatSpan(overhead.floor[metric.key], figure), formatSpan(overhead.ratio[metric.key], formatRatio));
    row.push(
      formatSpan(summary.raw[metric.key], figure),
      formatSpan(summary.bridge[metric.key], figure),
      formatSpan(summary.ratio[metric.key], formatRatio),
    );
    if (effect !== null)
      row.push(formatSpan(effect.bridge[metric.key], figure), formatSpan(effect.ratio[metric.key], formatRatio));
    if (toFloor !== null) row.push(formatSpan(toFloor[metric.key], formatRatio));
    return row;
  });
  return { headers, rows };
}

/** The figures a sweep row shows (medians): the latency, rate, CPU and memory ones. */
export const SWEEP_COLUMNS: readonly BenchMetricKey[] = BENCH_METRICS.filter((metric) => metric.inSweep !== false).map(
  (metric) => metric.key,
);

/** A sweep: per process count a raw row, a bridge row and a bridge/raw row of medians. */
export function sweepTable(summaries: readonly ProcsSummary[]): CellTable {
  const metrics = SWEEP_COLUMNS.map(benchMetric);
  const headers = ['N', 'pairs', 'run', ...metrics.map((metric) => metric.short)];
  const rows: string[][] = [];
  for (const summary of summaries) {
    const pairs = `${summary.pairsCompleted}/${summary.pairsPlanned}`;
    rows.push([
      String(summary.procs),
      pairs,
      'raw',
      ...metrics.map((metric) => formatFigure(metric, summary.raw[metric.key]?.median)),
    ]);
    rows.push(['', '', 'bridge', ...metrics.map((metric) => formatFigure(metric, summary.bridge[metric.key]?.median))]);
    rows.push([
      '',
      '',
      'bridge/raw',
      ...metrics.map((metric) => {
        const ratio = summary.ratio[metric.key];
        return ratio === null ? '-' : formatRatio(ratio.median);
      }),
    ]);
  }
  return { headers, rows };
}

/** The fitted lines: metric, run, slope per process, intercept, r^2, and the points. */
export function fitTable(fits: readonly SweepFit[]): CellTable {
  const headers = ['fit against N', 'run', 'slope per process', 'intercept', 'r^2', 'points'];
  const rows = fits.map(({ metric, transport, fit, points }) => {
    const definition = benchMetric(metric);
    const digits = Math.max(1, definition.digits);
    return [
      definition.label,
      transport,
      fit === null ? '-' : formatDecimal(fit.slope, digits),
      fit === null ? '-' : formatDecimal(fit.intercept, digits),
      fit === null ? '-' : formatDecimal(fit.r2, 3),
      String(points.length),
    ];
  });
  return { headers, rows };
}

/** Each step of a find-max search: rate, verdict, delivery, p99, achieved publish rate, why it failed. */
export function findMaxStepsTable(result: FindMaxResult): CellTable {
  const headers = ['step', 'rate (events/s)', 'verdict', 'delivery', 'p99 (us)', 'published/s', 'lost', 'reasons'];
  const rows = result.steps.map((step, index) => [
    String(index + 1),
    formatDecimal(step.rateEventsPerSec, 0),
    step.passed ? 'holds' : 'fails',
    formatPercent(step.deliveryRatio),
    formatDecimal(step.p99Us, 0),
    formatDecimal(step.publishedEventsPerSec, 1),
    formatDecimal(step.lost, 0),
    step.reasons.join('; '),
  ]);
  return { headers, rows };
}

function hasAny(summary: ProcsSummary, key: BenchMetricKey): boolean {
  return summary.raw[key] !== null || summary.bridge[key] !== null;
}
