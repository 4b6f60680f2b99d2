// The per-second series: counters become per-interval deltas, the fleet's percentiles come from merged histograms,
// losses land at their intended second, gaps stay null, and faults are marked from injection to recovery.
import { LatencyRecorder } from '@evbridge/metrics';
import { emptyBridgeCounters, emptyWindowCounters, type WorkerMessageOf } from '@evbridge/protocol';
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../src/model/report.js';
import type { IntervalLatency, TimeSeriesInput } from '../src/report/time-series.js';
import { buildTimeSeries, FleetLatency, intervalOf, WorkerSeries } from '../src/report/time-series.js';
import { faultReport } from './fixtures/sample-report.js';

function recorder(samples: number[]): LatencyRecorder {
  const recorder = new LatencyRecorder();
  for (const value of samples) recorder.record(value);
  return recorder;
}

interface StatsAt {
  interval: number;
  published: number;
  delivered: number;
  latency?: number[];
  warmupLatency?: number[];
  cpuPercent?: number;
  eventLoopP99Us?: number;
}

function stats(at: StatsAt): WorkerMessageOf<'stats'> {
  return {
    type: 'stats',
    atUs: 1_000_000 + at.interval * 1_000_000,
    interval: at.interval,
    intervalLatencyUs: recorder(at.latency ?? []),
    intervalTransitUs: recorder((at.latency ?? []).map((value) => value / 2)),
    ...(at.warmupLatency
      ? { intervalWarmup: { latencyUs: recorder(at.warmupLatency), transitLatencyUs: recorder(at.warmupLatency) } }
      : {}),
    window: emptyWindowCounters(),
    gapsSoFar: 0,
    bridge: { ...emptyBridgeCounters(), published: at.published, deliveredToHandlers: at.delivered },
    resources: {
      rssBytes: 50_000_000,
      heapUsedBytes: 1,
      cpuPercent: at.cpuPercent ?? 10,
      eventLoopDelayUs: { p50: 1, p99: at.eventLoopP99Us ?? 100, max: 1 },
    },
  } as unknown as WorkerMessageOf<'stats'>;
}

const fast = Array.from({ length: 100 }, () => 1_000);
const slow = Array.from({ length: 100 }, () => 5_000);

/** Two workers' stats, as a SeriesCollector gets them: each worker's series, and the fleet's latency merged. */
function twoWorkers(): { workers: WorkerSeries[]; fleetLatency: ReadonlyMap<number, IntervalLatency> } {
  const fleet = new FleetLatency();
  const feed = (series: WorkerSeries, message: WorkerMessageOf<'stats'>) => {
    series.add(message);
    fleet.add(message);
  };
  const a = new WorkerSeries();
  const b = new WorkerSeries();
  feed(a, stats({ interval: 0, published: 10, delivered: 8, warmupLatency: [700] }));
  feed(b, stats({ interval: 0, published: 10, delivered: 8 }));
  feed(a, stats({ interval: 1, published: 110, delivered: 108, latency: fast, eventLoopP99Us: 300 }));
  feed(b, stats({ interval: 1, published: 110, delivered: 109, latency: slow, eventLoopP99Us: 900 }));
  feed(a, stats({ interval: 2, published: 210, delivered: 208, latency: fast }));
  // b's event loop was blocked past boundary 2: its next stats closes interval 3 and covers both.
  feed(b, stats({ interval: 3, published: 300, delivered: 300, latency: slow }));
  return { workers: [a, b], fleetLatency: fleet.percentiles() };
}

const noFaults: FaultRecord[] = [];

/** The two workers' series: 1 s intervals, 1 s warm-up, 3 s measured, no loss, no fault, unless overridden. */
function twoWorkersSeries(overrides: Partial<TimeSeriesInput> = {}) {
  return buildTimeSeries({
    intervalMs: 1000,
    warmupMs: 1000,
    measuredMs: 3000,
    ...twoWorkers(),
    lostRanges: [],
    intendedMsOf: () => undefined,
    faults: noFaults,
    ...overrides,
  });
}

describe('buildTimeSeries', () => {
  it('turns each worker’s running counters into per-interval counts, and the fleet’s into their sums', () => {
    const series = twoWorkersSeries();
    expect(series.fleet.tMs).toEqual([0, 1000, 2000, 3000]);
    expect(series.instances[0]?.published).toEqual([10, 100, 100, null]);
    expect(series.instances[1]?.published).toEqual([10, 100, null, 190]);
    expect(series.fleet.published).toEqual([20, 200, 100, 190]);
    expect(series.fleet.delivered).toEqual([16, 201, 100, 191]);
    expect(series.instances[1]?.rssBytes[2]).toBeNull();
    expect(series.marks).toEqual({
      warmup: { fromMs: -1000, toMs: 0 },
      measured: { fromMs: 0, toMs: 3000 },
      faults: [],
    });
  });

  it('reads the fleet’s percentiles from the instances’ histograms merged, never from their percentiles', () => {
    const series = twoWorkersSeries();
    // Second 1: 100 samples at 1 ms from a, 100 at 5 ms from b. The merged median is 1 ms; the worse median is 5 ms.
    expect(series.instances[0]?.latencyP50Us[1]).toBe(1_000);
    expect(series.instances[1]?.latencyP50Us[1]).toBeCloseTo(5_000, -1);
    expect(series.fleet.latencyP50Us[1]).toBe(1_000);
    expect(series.fleet.latencyP99Us[1]).toBeCloseTo(5_000, -1);
    expect(series.fleet.transitP99Us[1]).toBeCloseTo(2_500, -1);
    // The warm-up second has a's one warm-up event; b received nothing there.
    expect(series.fleet.latencyMaxUs[0]).toBe(700);
    expect(series.instances[1]?.latencyP50Us[0]).toBeNull();
    // Event-loop delay: the worst instance's; CPU: summed.
    expect(series.fleet.eventLoopDelayP99Us[1]).toBe(900);
    expect(series.fleet.cpuPercent[1]).toBe(20);
  });

  it('places each lost delivery at the second its event was intended in, counted for its receiver', () => {
    const series = twoWorkersSeries({
      // Sender 0's seq n was intended at n ms after measurement started.
      lostRanges: [
        { sender: 0, receiver: 1, seqFrom: 998, seqTo: 1_001, count: 4 },
        { sender: 1, receiver: 0, seqFrom: 2_500, seqTo: 2_500, count: 1 },
      ],
      intendedMsOf: (sender, seq) => (sender === 0 ? seq : seq + 100),
      faults: noFaults,
    });
    expect(series.instances[1]?.lost).toEqual([0, 2, 2, 0]);
    expect(series.instances[0]?.lost).toEqual([0, 0, 0, 1]);
    expect(series.fleet.lost).toEqual([0, 2, 2, 1]);
  });

  it('marks each injected fault from its injection to its recovery, and none that was not injected', () => {
    const faults = faultReport().faults ?? [];
    const notInjected = { ...faults[0]!, injectedAtMs: null, endedAtMs: null, status: 'not-reached' as const };
    const never = { ...faults[0]!, recoveryMs: null, recovered: false };
    const series = twoWorkersSeries({ measuredMs: 30_000, faults: [...faults, notInjected, never] });
    expect(series.marks.faults).toEqual([
      { index: 0, kind: 'kill-subscribers', fromMs: 10_001, toMs: 10_067 },
      { index: 1, kind: 'kill-worker', fromMs: 20_000, toMs: 20_004 },
      { index: 3, kind: 'kill-subscribers', fromMs: 10_001, toMs: 30_000 },
    ]);
  });

  it('keeps only a few intervals’ histograms open: a stats message later than that reaches its instance only', () => {
    const fleet = new FleetLatency();
    for (let interval = 1; interval <= 10; interval += 1)
      fleet.add(stats({ interval, published: 0, delivered: 0, latency: fast }));
    // Interval 2 arrives again, 8 intervals late: already read, the fleet keeps what it had.
    fleet.add(stats({ interval: 2, published: 0, delivered: 0, latency: slow }));
    expect(fleet.percentiles().get(2)?.latencyP99Us).toBe(1_000);
    // Interval 9 is still open: a late stats for it counts.
    fleet.add(stats({ interval: 9, published: 0, delivered: 0, latency: [...slow, ...slow] }));
    expect(fleet.percentiles().get(9)?.latencyP50Us).toBeCloseTo(5_000, -1);
    expect([...fleet.percentiles().keys()].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('numbers intervals so that each covers [(k-1) s, k s) after measurement started', () => {
    expect([intervalOf(-1, 1000), intervalOf(0, 1000), intervalOf(999.9, 1000), intervalOf(1000, 1000)]).toEqual([
      0, 1, 1, 2,
    ]);
  });
});
