// The run so far, for a watcher: its settings, its seconds (from the workers' interval stats) and latency so far.
import { monotonicNowUs, STATS_INTERVAL_MS } from '@evbridge/protocol';
import type { LiveSnapshot } from '../model/live-snapshot.js';
import { buildTimeSeries } from '../report/time-series.js';
import type { FaultRun } from '../faults/fault-run.js';
import type { RunContext } from './context.js';
import type { MeasureTimes } from './measure.js';
import type { Progress } from './progress.js';
import type { SeriesCollector } from './series-collector.js';

/** What a snapshot is read from: the measuring run's parts, and its phase as it moves on. */
export interface LiveSources {
  runId: string;
  context: RunContext;
  times: MeasureTimes;
  series: SeriesCollector;
  progress: Progress;
  faults: FaultRun;
  phase(): string;
}

export function liveSnapshot(sources: LiveSources, nowUs = monotonicNowUs()): LiveSnapshot {
  const { context, times, series, progress, runId } = sources;
  const { options } = context;
  const atMs = Math.round((nowUs - times.measureStartUs) / 1000);
  const soFar = progress.soFar.summary();
  return {
    kind: 'live',
    phase: sources.phase(),
    atMs,
    run: {
      id: runId,
      driver: context.driver.definition.name,
      procs: options.procs,
      rateEventsPerSec: options.rateEventsPerSec,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      payloadBytes: options.payloadBytes,
    },
    timeSeries: buildTimeSeries({
      intervalMs: STATS_INTERVAL_MS,
      warmupMs: options.warmupMs,
      // The planned window, so the charts keep one frame while they fill; a fault still going is shaded up to now.
      measuredMs: options.durationMs,
      unrecoveredUntilMs: Math.max(atMs, 0),
      workers: series.workers,
      fleetLatency: series.fleetLatency.percentiles(),
      lostRanges: null,
      intendedMsOf: () => undefined,
      faults: sources.faults.records(),
    }),
    latencySoFarUs: { count: soFar.count, p50: soFar.p50, p99: soFar.p99, max: soFar.max },
  };
}
