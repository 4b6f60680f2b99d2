// The compare page's charts: the samples the test judged, base and new overlaid. Two runs: latency p50/p99 and
// delivered/s second by second over each measured window (x = second of the window); two benches: each arm's figures
// round by round.
import type { BenchDocument } from '../../bench/bench-document.js';
import type { BenchRun } from '../../bench/run-pairs.js';
import { seriesColor } from '../../html/chart-figure.js';
import type { ChartBand, ChartSeries, ChartSpec } from '../../html/page-data.js';
import type { Report, ReportTimeSeries } from '../../model/report.js';
import { hasTimeSeries, type ResultFile } from '../../results/read-result.js';
import { armsOf } from '../compare-benches.js';
import { COMPARE_METRICS, type CompareMetric } from '../compare-metrics.js';
import { measuredIndexes } from '../measured-seconds.js';

/** The base in blue, new in orange (a run's two sides); a bench's arms take the palette in turn. */
export const BASE_COLOR = seriesColor(0);
export const NEW_COLOR = seriesColor(3);
/** The base's lines of a bench arm, and a run's p50. */
const DASHED = [6, 4];

/** The charts; without any, `missing` says why (a sentence for the page). */
export interface CompareCharts {
  charts: ChartSpec[];
  missing?: string;
}

export function compareCharts(base: ResultFile, next: ResultFile): CompareCharts {
  if (base.kind === 'run' && next.kind === 'run') {
    if (!hasTimeSeries(base.report) || !hasTimeSeries(next.report)) {
      const old = [base, next].filter((file) => !hasTimeSeries(file.report)).map((file) => file.path);
      return {
        charts: [],
        missing: `no per-second chart: ${old.join(' and ')} ${old.length === 1 ? 'is a report' : 'are reports'} of schema 2, without per-second series (re-run with this build: pnpm harness ... --json FILE)`,
      };
    }
    return runCharts(base.report, next.report);
  }
  if (base.kind === 'bench' && next.kind === 'bench') return benchCharts(base.bench, next.bench);
  return { charts: [], missing: 'no chart: the two files are not two run reports or two bench results' };
}

function metricNamed(name: string): CompareMetric {
  const metric = COMPARE_METRICS.find((candidate) => candidate.name === name);
  if (metric === undefined) throw new Error(`no compare metric ${name}`);
  return metric;
}

/** How the test reads a figure's value of one second (so the chart shows the very samples it judged). */
function perSecond(name: string): (series: ReportTimeSeries, index: number) => number | null {
  const judged = metricNamed(name).run?.judged;
  if (judged?.by !== 'series') throw new Error(`compare metric ${name} is not judged on the per-second series`);
  return judged.perSecond;
}

/**
 * One side's measured seconds: x = seconds since the window's first measured second began, each second plotted at its
 * middle (the first at 0.5), as the report's charts plot theirs.
 */
interface SideSeconds {
  x: number[];
  /** Where the last second ends. */
  endX: number;
  value(read: (series: ReportTimeSeries, index: number) => number | null): Array<number | null>;
  bands(side: string): ChartBand[];
}

function sideSeconds(series: ReportTimeSeries): SideSeconds {
  const indexes = measuredIndexes(series);
  const first = indexes[0];
  const startMs = first === undefined ? 0 : (series.fleet.tMs[first] ?? 0) - series.intervalMs;
  const seconds = (ms: number) => (ms - startMs) / 1000;
  const x = indexes.map((index) => seconds((series.fleet.tMs[index] ?? 0) - series.intervalMs / 2));
  const endX = (x.at(-1) ?? 0) + series.intervalMs / 2000;
  return {
    x,
    endX,
    value: (read) => indexes.map((index) => read(series, index)),
    bands: (side) =>
      series.marks.faults
        .map((fault) => ({
          fromX: seconds(fault.fromMs),
          toX: seconds(fault.toMs),
          label: `${side}: ${fault.kind}`,
          kind: 'fault' as const,
        }))
        .filter((band) => band.toX > 0 && band.fromX < endX),
  };
}

/** The two sides' values on one x axis: every x either side has, each side null where it has none. */
function overlay(
  base: { x: number[]; values: Array<number | null> },
  next: { x: number[]; values: Array<number | null> },
) {
  const x = [...new Set([...base.x, ...next.x])].sort((a, b) => a - b);
  const on = (side: { x: number[]; values: Array<number | null> }) => {
    const byX = new Map(side.x.map((at, index) => [at, side.values[index] ?? null]));
    return x.map((at) => byX.get(at) ?? null);
  };
  return { x, base: on(base), new: on(next) };
}

/** Latency on a log scale: a 0 (a second with nothing delivered) is left out. */
const positive = (values: Array<number | null>) => values.map((value) => (value === null || value <= 0 ? null : value));

function runCharts(base: Report, next: Report): CompareCharts {
  const sides = { base: sideSeconds(base.timeSeries), new: sideSeconds(next.timeSeries) };
  if (sides.base.x.length === 0 || sides.new.x.length === 0) {
    return { charts: [], missing: 'no per-second chart: a side has no measured second' };
  }
  const lines = (name: string) =>
    overlay(
      { x: sides.base.x, values: sides.base.value(perSecond(name)) },
      { x: sides.new.x, values: sides.new.value(perSecond(name)) },
    );
  const p50 = lines('p50');
  const p99 = lines('p99');
  const delivered = lines('deliveredPerSec');
  const frame = {
    xKind: 'seconds' as const,
    xLabel: 's into the measured window',
    xRange: [0, Math.max(sides.base.endX, sides.new.endX)] as [number, number],
    bands: [...sides.base.bands('base'), ...sides.new.bands('new')],
  };
  // The base's lines wider, under new's: where both sides are equal (delivered/s often is), both still show.
  const line = (label: string, values: Array<number | null>, color: string, dash?: number[]): ChartSeries => ({
    label,
    values,
    color,
    spanGaps: true,
    ...(color === BASE_COLOR ? { width: 4 } : {}),
    ...(dash === undefined ? {} : { dash }),
  });
  return {
    charts: [
      {
        id: 'compare-latency',
        title: 'Latency per second: base and new',
        x: p99.x,
        ...frame,
        yLabel: 'latency (µs, log scale)',
        yLog: true,
        series: [
          line('base p50', positive(p50.base), BASE_COLOR, DASHED),
          line('base p99', positive(p99.base), BASE_COLOR),
          line('new p50', positive(p50.new), NEW_COLOR, DASHED),
          line('new p99', positive(p99.new), NEW_COLOR),
        ],
      },
      {
        id: 'compare-delivered',
        title: 'Delivered per second: base and new',
        x: delivered.x,
        ...frame,
        yLabel: 'delivered events per second',
        series: [line('base', delivered.base, BASE_COLOR), line('new', delivered.new, NEW_COLOR)],
      },
    ],
  };
}

/** Per figure, each arm's runs round by round: the base dashed, new solid, one colour per arm. */
function benchCharts(base: BenchDocument, next: BenchDocument): CompareCharts {
  const arms = armsOf(base, next).filter((arm) => arm.base.length > 0 && arm.new.length > 0);
  const rounds = arms.flatMap((arm) => [...arm.base, ...arm.new].map((run) => run.pair));
  if (rounds.length === 0) return { charts: [], missing: 'no chart: no arm has completed runs on both sides' };
  const lastRound = Math.max(...rounds);
  const x = Array.from({ length: lastRound }, (_, index) => index + 1);
  const charts = (
    [
      ['p50', 'compare-p50', 'Latency p50 per round', 'latency p50 (µs, log scale)'],
      ['p99', 'compare-p99', 'Latency p99 per round', 'latency p99 (µs, log scale)'],
      ['deliveredPerSec', 'compare-delivered', 'Delivered per second per round', 'delivered events per second'],
    ] as const
  ).map(([name, id, title, yLabel]): ChartSpec => {
    const key = metricNamed(name).bench;
    if (key === undefined) throw new Error(`compare metric ${name} has no bench figure`);
    const byRound = (runs: readonly BenchRun[]) => {
      const values = new Map(runs.map((run) => [run.pair, run.figures?.[key] ?? null]));
      const line = x.map((round) => values.get(round) ?? null);
      return name === 'deliveredPerSec' ? line : positive(line);
    };
    return {
      id,
      title,
      x,
      xKind: 'round',
      xLabel: 'round',
      xRange: [0.5, lastRound + 0.5],
      yLabel,
      ...(name === 'deliveredPerSec' ? {} : { yLog: true }),
      series: arms.flatMap((arm, index) => [
        {
          label: `${arm.name} base`,
          values: byRound(arm.base),
          color: seriesColor(index),
          dash: DASHED,
          points: true,
          spanGaps: true,
        },
        { label: `${arm.name} new`, values: byRound(arm.new), color: seriesColor(index), points: true, spanGaps: true },
      ]),
    };
  });
  return { charts };
}
