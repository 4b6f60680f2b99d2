// The run second by second: latency and throughput of the fleet, and each instance's CPU, memory and event-loop delay,
// with the warm-up and every fault shaded and the measured window marked.
import type { ReportTimeSeries, TimeSeries } from '../../model/report.js';
import { seriesColor } from '../chart-figure.js';
import type { ChartBand, ChartMarker, ChartSeries, ChartSpec } from '../page-data.js';

const BYTES_PER_MIB = 1_048_576;

/** Every over-time chart of a schema 3 report, in page order. */
export function timeCharts(series: ReportTimeSeries): ChartSpec[] {
  const frame = timeFrame(series);
  const fleet = series.fleet;
  const chart = (id: string, title: string, yLabel: string, lines: ChartSeries[], extra: Partial<ChartSpec> = {}) => ({
    id,
    title,
    ...frame,
    yLabel,
    series: lines,
    ...extra,
  });
  const perInstance = (pick: (instance: TimeSeries) => Array<number | null>, scale = 1): ChartSeries[] =>
    series.instances.map((instance, index) => ({
      label: `#${index}`,
      values: pick(instance).map((value) => (value === null ? null : value / scale)),
      color: seriesColor(index),
    }));
  return [
    chart(
      'latency-over-time',
      'Latency per second (fleet)',
      'latency (µs, log scale)',
      [
        { label: 'p50', values: positive(fleet.latencyP50Us), color: seriesColor(0) },
        { label: 'p99', values: positive(fleet.latencyP99Us), color: seriesColor(1) },
        { label: 'max', values: positive(fleet.latencyMaxUs), color: seriesColor(3) },
        { label: 'transit p99', values: positive(fleet.transitP99Us), color: seriesColor(2), dash: [6, 4] },
      ],
      { yLog: true },
    ),
    chart(
      'throughput-over-time',
      'Throughput per second (fleet)',
      'events per second',
      [
        { label: 'published', values: fleet.published, color: seriesColor(0) },
        { label: 'delivered', values: fleet.delivered, color: seriesColor(2) },
        { label: 'lost (by intended time)', values: fleet.lost, color: seriesColor(1), rightAxis: true },
      ],
      { y2Label: 'lost' },
    ),
    chart(
      'cpu-over-time',
      'CPU per instance',
      'CPU (% of one core)',
      perInstance((instance) => instance.cpuPercent),
    ),
    chart(
      'rss-over-time',
      'Memory per instance',
      'RSS (MiB)',
      perInstance((instance) => instance.rssBytes, BYTES_PER_MIB),
    ),
    chart(
      'event-loop-over-time',
      'Event-loop delay per instance',
      'event-loop delay p99 (µs)',
      perInstance((instance) => instance.eventLoopDelayP99Us),
    ),
  ];
}

type Frame = Pick<ChartSpec, 'x' | 'xKind' | 'xLabel' | 'xRange' | 'bands' | 'markers'>;

/**
 * Each value at the middle of its interval (it counts [tMs - intervalMs, tMs)), in seconds after measurement started;
 * the warm-up and faults as bands, the measured window's start and end as markers.
 */
function timeFrame(series: ReportTimeSeries): Frame {
  const { intervalMs, marks } = series;
  const seconds = (ms: number) => ms / 1000;
  const x = series.fleet.tMs.map((tMs) => seconds(tMs - intervalMs / 2));
  const firstStartMs = (series.fleet.tMs[0] ?? marks.warmup.fromMs) - intervalMs;
  const lastEndMs = series.fleet.tMs.at(-1) ?? marks.measured.toMs;
  const bands: ChartBand[] = [];
  if (marks.warmup.toMs > marks.warmup.fromMs) {
    bands.push({
      fromX: seconds(marks.warmup.fromMs),
      toX: seconds(marks.warmup.toMs),
      label: 'warm-up',
      kind: 'warmup',
    });
  }
  for (const fault of marks.faults) {
    bands.push({ fromX: seconds(fault.fromMs), toX: seconds(fault.toMs), label: fault.kind, kind: 'fault' });
  }
  const markers: ChartMarker[] = [
    { x: seconds(marks.measured.fromMs), label: 'measured' },
    { x: seconds(marks.measured.toMs), label: 'end' },
  ];
  return {
    x,
    xKind: 'seconds',
    xLabel: 's after measurement started',
    xRange: [seconds(Math.min(firstStartMs, marks.warmup.fromMs)), seconds(Math.max(lastEndMs, marks.measured.toMs))],
    bands,
    markers,
  };
}

/** Latency on a log scale: a 0 (no deliveries measured in the interval, never a real latency) is left out. */
function positive(values: Array<number | null>): Array<number | null> {
  return values.map((value) => (value === null || value <= 0 ? null : value));
}
