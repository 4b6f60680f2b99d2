// The run second by second: each worker's interval stats as they arrived, merged per interval across the fleet, with
// the exact losses placed at their events' intended times, and the warm-up, window and faults marked.
import { LatencyRecorder } from '@evbridge/metrics';
import type { WorkerMessageOf } from '@evbridge/protocol';
import type { FaultRecord, LostRange, ReportTimeSeries, Span, TimeSeries } from '../model/report.js';
import { round1 } from './instance-row.js';

/** Latency percentiles of one interval (null: nothing received in it). */
export interface IntervalLatency {
  latencyP50Us: number | null;
  latencyP99Us: number | null;
  latencyMaxUs: number | null;
  transitP99Us: number | null;
}

/** What one worker's stats said about one interval: counts are that interval's, not the run's so far. */
export interface IntervalSample extends IntervalLatency {
  /** The interval's index: it ends at measureStartUs + interval x intervalMs. */
  interval: number;
  published: number;
  delivered: number;
  refused: number;
  publishFailed: number;
  rssBytes: number;
  cpuPercent: number;
  eventLoopDelayP99Us: number;
}

type Cumulative = Pick<IntervalSample, 'published' | 'delivered' | 'refused' | 'publishFailed'>;

const ZERO: Cumulative = { published: 0, delivered: 0, refused: 0, publishFailed: 0 };

/** The histograms a stats message carries for its interval: the measured events', and the warm-up events' if any. */
function intervalHistograms(stats: WorkerMessageOf<'stats'>): {
  latency: LatencyRecorder[];
  transit: LatencyRecorder[];
} {
  const warmup = stats.intervalWarmup;
  return {
    latency: warmup ? [stats.intervalLatencyUs, warmup.latencyUs] : [stats.intervalLatencyUs],
    transit: warmup ? [stats.intervalTransitUs, warmup.transitLatencyUs] : [stats.intervalTransitUs],
  };
}

/** The percentiles of histograms merged (one alone is read as it is). */
function latencyOf(latency: LatencyRecorder, transit: LatencyRecorder): IntervalLatency {
  const summary = latency.count > 0 ? latency.summary() : undefined;
  return {
    latencyP50Us: summary?.p50 ?? null,
    latencyP99Us: summary?.p99 ?? null,
    latencyMaxUs: summary?.max ?? null,
    transitP99Us: transit.count > 0 ? transit.summary().p99 : null,
  };
}

/** Recorders to merge intervals into, reused (a recorder holds its whole range: allocating one per second adds up). */
class RecorderPool {
  readonly #free: LatencyRecorder[] = [];

  take(): LatencyRecorder {
    return this.#free.pop() ?? new LatencyRecorder();
  }

  give(...recorders: LatencyRecorder[]): void {
    for (const recorder of recorders) {
      recorder.reset();
      this.#free.push(recorder);
    }
  }
}

/** Merges `parts` into pooled recorders and reads their percentiles; the recorders go back to the pool. */
function mergedLatency(
  pool: RecorderPool,
  latencyParts: LatencyRecorder[],
  transitParts: LatencyRecorder[],
): IntervalLatency {
  if (latencyParts.length === 1 && transitParts.length === 1) return latencyOf(latencyParts[0]!, transitParts[0]!);
  const latency = pool.take();
  const transit = pool.take();
  for (const part of latencyParts) latency.add(part);
  for (const part of transitParts) transit.add(part);
  const figures = latencyOf(latency, transit);
  pool.give(latency, transit);
  return figures;
}

/**
 * One worker's intervals, in arrival order: each stats message's counters less the previous one's, and its interval's
 * latency read at once (the message's histograms are not kept).
 */
export class WorkerSeries {
  readonly samples: IntervalSample[] = [];
  #previous: Cumulative = ZERO;

  constructor(private readonly pool = new RecorderPool()) {}

  add(stats: WorkerMessageOf<'stats'>): void {
    const now: Cumulative = {
      published: stats.bridge.published,
      // Handler calls for peers' events: own events past the self-filter are not deliveries.
      delivered: stats.bridge.deliveredToHandlers - stats.bridge.selfReceived,
      refused: stats.window.refused,
      publishFailed: stats.bridge.publishFailed,
    };
    const histograms = intervalHistograms(stats);
    this.samples.push({
      interval: stats.interval,
      published: now.published - this.#previous.published,
      delivered: now.delivered - this.#previous.delivered,
      refused: now.refused - this.#previous.refused,
      publishFailed: now.publishFailed - this.#previous.publishFailed,
      ...mergedLatency(this.pool, histograms.latency, histograms.transit),
      rssBytes: stats.resources.rssBytes,
      cpuPercent: stats.resources.cpuPercent,
      eventLoopDelayP99Us: stats.resources.eventLoopDelayUs.p99,
    });
    this.#previous = now;
  }
}

/** Intervals the fleet keeps open for late stats before it reads their percentiles and lets their histograms go. */
const OPEN_INTERVALS = 4;

/**
 * The fleet's latency per interval: every worker's histograms of an interval merged as they arrive, read once the
 * run has moved OPEN_INTERVALS past it (or at the end). Only a few intervals' histograms are held at any time.
 */
export class FleetLatency {
  readonly #open = new Map<number, { latency: LatencyRecorder; transit: LatencyRecorder }>();
  readonly #closed = new Map<number, IntervalLatency>();
  #newest = Number.NEGATIVE_INFINITY;

  constructor(private readonly pool = new RecorderPool()) {}

  add(stats: WorkerMessageOf<'stats'>): void {
    const { interval } = stats;
    if (this.#closed.has(interval)) return; // Later than OPEN_INTERVALS: its instance's row has it; the fleet's cannot.
    let merged = this.#open.get(interval);
    if (merged === undefined) {
      merged = { latency: this.pool.take(), transit: this.pool.take() };
      this.#open.set(interval, merged);
    }
    const histograms = intervalHistograms(stats);
    for (const part of histograms.latency) merged.latency.add(part);
    for (const part of histograms.transit) merged.transit.add(part);
    this.#newest = Math.max(this.#newest, interval);
    for (const open of [...this.#open.keys()]) if (open <= this.#newest - OPEN_INTERVALS) this.#close(open);
  }

  /** Every interval's percentiles, the open ones read too (they stay open for stats still to come). */
  percentiles(): ReadonlyMap<number, IntervalLatency> {
    const all = new Map(this.#closed);
    for (const [interval, merged] of this.#open) all.set(interval, latencyOf(merged.latency, merged.transit));
    return all;
  }

  #close(interval: number): void {
    const merged = this.#open.get(interval);
    if (merged === undefined) return;
    this.#closed.set(interval, latencyOf(merged.latency, merged.transit));
    this.#open.delete(interval);
    this.pool.give(merged.latency, merged.transit);
  }
}

export interface TimeSeriesInput {
  intervalMs: number;
  warmupMs: number;
  /** The measured window as run (shorter when interrupted). */
  measuredMs: number;
  workers: ReadonlyArray<WorkerSeries>;
  /** The fleet's latency per interval (FleetLatency.percentiles()). */
  fleetLatency: ReadonlyMap<number, IntervalLatency>;
  /**
   * Every exact loss, and when each sender meant to send a sequence number (ms after measurement started); null
   * while the run goes (losses are known from the ledgers at the end): the `lost` columns are then null throughout.
   */
  lostRanges: readonly LostRange[] | null;
  intendedMsOf(sender: number, seq: number): number | undefined;
  faults: readonly FaultRecord[];
  /** Where a fault that has not recovered is shaded to: the window's end in a report, now while the run goes. */
  unrecoveredUntilMs?: number;
}

/** Columns of one series, every one as long as `tMs`, all null: filled interval by interval. */
function emptySeries(tMs: number[]): TimeSeries {
  const nulls = (): Array<number | null> => tMs.map(() => null);
  return {
    tMs,
    published: nulls(),
    delivered: nulls(),
    lost: nulls(),
    refused: nulls(),
    publishFailed: nulls(),
    latencyP50Us: nulls(),
    latencyP99Us: nulls(),
    latencyMaxUs: nulls(),
    transitP99Us: nulls(),
    rssBytes: nulls(),
    cpuPercent: nulls(),
    eventLoopDelayP99Us: nulls(),
  };
}

const add = (column: Array<number | null>, at: number, value: number): void => {
  column[at] = (column[at] ?? 0) + value;
};

/** The interval an instant falls in: [ (k-1) x interval, k x interval ) ms after measurement started. */
export function intervalOf(atMs: number, intervalMs: number): number {
  return Math.floor(atMs / intervalMs) + 1;
}

export function buildTimeSeries(input: TimeSeriesInput): ReportTimeSeries {
  const { intervalMs } = input;
  const lostAt = lostByInterval(input);
  const indexes = new Set<number>();
  for (const worker of input.workers) for (const sample of worker.samples) indexes.add(sample.interval);
  for (const byInterval of lostAt) for (const interval of byInterval.keys()) indexes.add(interval);
  const first = indexes.size === 0 ? 0 : Math.min(...indexes);
  const last = indexes.size === 0 ? -1 : Math.max(...indexes);
  const tMs: number[] = [];
  for (let interval = first; interval <= last; interval += 1) tMs.push(interval * intervalMs);
  const position = (interval: number) => interval - first;

  const fleet = emptySeries([...tMs]);
  const instances = input.workers.map((worker, index) => {
    const series = emptySeries([...tMs]);
    for (const sample of worker.samples) {
      const at = position(sample.interval);
      for (const key of ['published', 'delivered', 'refused', 'publishFailed'] as const) {
        add(series[key], at, sample[key]);
        add(fleet[key], at, sample[key]);
      }
      if (input.lostRanges !== null) {
        series.lost[at] ??= 0;
        fleet.lost[at] ??= 0;
      }
      setLatency(series, at, sample);
      series.rssBytes[at] = sample.rssBytes;
      series.cpuPercent[at] = round1(sample.cpuPercent);
      series.eventLoopDelayP99Us[at] = sample.eventLoopDelayP99Us;
      add(fleet.rssBytes, at, sample.rssBytes);
      add(fleet.cpuPercent, at, sample.cpuPercent);
      fleet.eventLoopDelayP99Us[at] = Math.max(fleet.eventLoopDelayP99Us[at] ?? 0, sample.eventLoopDelayP99Us);
    }
    for (const [interval, lost] of lostAt[index] ?? []) {
      add(series.lost, position(interval), lost);
      add(fleet.lost, position(interval), lost);
    }
    return series;
  });
  for (const [interval, latency] of input.fleetLatency) {
    if (interval >= first && interval <= last) setLatency(fleet, position(interval), latency);
  }
  fleet.cpuPercent = fleet.cpuPercent.map((value) => (value === null ? null : round1(value)));
  return {
    intervalMs,
    marks: {
      warmup: { fromMs: -input.warmupMs, toMs: 0 },
      measured: { fromMs: 0, toMs: input.measuredMs },
      faults: faultSpans(input.faults, input.unrecoveredUntilMs ?? input.measuredMs),
    },
    fleet,
    instances,
  };
}

function setLatency(series: TimeSeries, at: number, latency: IntervalLatency): void {
  series.latencyP50Us[at] = latency.latencyP50Us;
  series.latencyP99Us[at] = latency.latencyP99Us;
  series.latencyMaxUs[at] = latency.latencyMaxUs;
  series.transitP99Us[at] = latency.transitP99Us;
}

/**
 * Per receiver, lost deliveries by the interval their events were intended in. Each seq's time comes from its
 * sender's timeline; a loss whose time is unknown (no timeline) is left out of the series, never guessed.
 */
function lostByInterval(input: TimeSeriesInput): Array<Map<number, number>> {
  const byReceiver = input.workers.map(() => new Map<number, number>());
  for (const range of input.lostRanges ?? []) {
    const counts = byReceiver[range.receiver];
    if (counts === undefined) continue;
    for (let seq = range.seqFrom; seq <= range.seqTo; seq += 1) {
      const atMs = input.intendedMsOf(range.sender, seq);
      if (atMs === undefined) continue;
      const interval = intervalOf(atMs, input.intervalMs);
      counts.set(interval, (counts.get(interval) ?? 0) + 1);
    }
  }
  return byReceiver;
}

/** Each injected fault from its injection to the later of its end and its recovery (the run's end: never recovered). */
function faultSpans(faults: readonly FaultRecord[], unrecoveredUntilMs: number): ReportTimeSeries['marks']['faults'] {
  const spans: Array<Span & { kind: FaultRecord['kind']; index: number }> = [];
  faults.forEach((fault, index) => {
    if (fault.injectedAtMs === null) return;
    const recoveredAtMs = fault.recoveryMs === null ? unrecoveredUntilMs : fault.injectedAtMs + fault.recoveryMs;
    const toMs = Math.max(fault.endedAtMs ?? fault.injectedAtMs, recoveredAtMs);
    spans.push({ kind: fault.kind, index, fromMs: fault.injectedAtMs, toMs });
  });
  return spans;
}
