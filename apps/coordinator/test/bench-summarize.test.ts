import { describe, expect, it } from 'vitest';
import { BENCH_METRIC_KEYS, type RunFigures } from '../src/bench/metrics.js';
import { planRuns } from '../src/bench/plan.js';
import type { BenchRun } from '../src/bench/run-pairs.js';
import { summaryTable } from '../src/bench/cells.js';
import { ratioOf, spanOf, summarizeProcs } from '../src/bench/summarize.js';

function figures(values: Partial<RunFigures>): RunFigures {
  const all = Object.fromEntries(BENCH_METRIC_KEYS.map((key) => [key, null])) as RunFigures;
  return { ...all, ...values };
}

function benchRun(
  procs: number,
  pair: number,
  transport: 'raw' | 'bridge',
  values: Partial<RunFigures> | null,
): BenchRun {
  return {
    order: 0,
    procs,
    pair,
    transport,
    pacer: 'open-loop',
    outcome: values === null ? 'failed' : 'complete',
    exitCode: values === null ? 2 : 0,
    error: values === null ? 'a worker failed' : undefined,
    runId: undefined,
    startedAt: undefined,
    pids: [],
    redisVersion: '7.0.15',
    failedThresholds: [],
    cpuMethod: 'cpuPercent',
    foreignCores: null,
    figures: values === null ? null : figures(values),
  };
}

describe('spanOf and ratioOf', () => {
  it('gives the median with min and max, ignoring absent values', () => {
    expect(spanOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, count: 3 });
    expect(spanOf([4, 1, null, 2, 10])).toEqual({ median: 3, min: 1, max: 10, count: 4 });
    expect(spanOf([null, null])).toBeNull();
    expect(spanOf([])).toBeNull();
  });

  it('divides bridge by raw, with no ratio for a missing or zero floor', () => {
    expect(ratioOf(150, 100)).toBe(1.5);
    expect(ratioOf(0, 100)).toBe(0);
    expect(ratioOf(150, 0)).toBeNull();
    expect(ratioOf(null, 100)).toBeNull();
    expect(ratioOf(150, null)).toBeNull();
  });
});

describe('summarizeProcs', () => {
  it('takes the median of per-pair ratios, not the ratio of medians', () => {
    const runs = [
      benchRun(5, 1, 'raw', { latencyP99Us: 100 }),
      benchRun(5, 1, 'bridge', { latencyP99Us: 300 }),
      benchRun(5, 2, 'raw', { latencyP99Us: 1000 }),
      benchRun(5, 2, 'bridge', { latencyP99Us: 500 }),
      benchRun(5, 3, 'raw', { latencyP99Us: 200 }),
      benchRun(5, 3, 'bridge', { latencyP99Us: 200 }),
    ];
    const summary = summarizeProcs(runs, 5, 3, 'open-loop');
    expect(summary.pairsCompleted).toBe(3);
    expect(summary.raw.latencyP99Us).toEqual({ median: 200, min: 100, max: 1000, count: 3 });
    expect(summary.bridge.latencyP99Us).toEqual({ median: 300, min: 200, max: 500, count: 3 });
    // per-pair ratios 3, 0.5, 1 -> median 1 (the ratio of medians would be 1.5)
    expect(summary.ratio.latencyP99Us).toEqual({ median: 1, min: 0.5, max: 3, count: 3 });
    expect(summary.raw.cpuUsPerDelivered).toBeNull();
    expect(summary.ratio.cpuUsPerDelivered).toBeNull();
  });

  it('drops a pair whose raw or bridge run failed, from all three columns', () => {
    const runs = [
      benchRun(2, 1, 'raw', { latencyP50Us: 10 }),
      benchRun(2, 1, 'bridge', null),
      benchRun(2, 2, 'raw', { latencyP50Us: 20 }),
      benchRun(2, 2, 'bridge', { latencyP50Us: 30 }),
      benchRun(5, 1, 'raw', { latencyP50Us: 999 }),
      benchRun(5, 1, 'bridge', { latencyP50Us: 999 }),
    ];
    const summary = summarizeProcs(runs, 2, 2, 'open-loop');
    expect(summary.pairsCompleted).toBe(1);
    expect(summary.pairsPlanned).toBe(2);
    expect(summary.raw.latencyP50Us).toEqual({ median: 20, min: 20, max: 20, count: 1 });
    expect(summary.ratio.latencyP50Us?.median).toBe(1.5);
  });
});

describe('planRuns', () => {
  it('alternates raw and bridge, raw first, pairs within each process count', () => {
    const plan = planRuns([2, 5], 2, 'open-loop');
    expect(plan.map((run) => `${run.order}:${run.procs}:${run.pair}:${run.transport}`)).toEqual([
      '1:2:1:raw',
      '2:2:1:bridge',
      '3:2:2:raw',
      '4:2:2:bridge',
      '5:5:1:raw',
      '6:5:1:bridge',
      '7:5:2:raw',
      '8:5:2:bridge',
    ]);
    expect(plan.every((run) => run.pacer === 'open-loop')).toBe(true);
  });

  it('a full round: the harness-free floor first, then raw and bridge, then the bridge on the other pacer', () => {
    const plan = planRuns([2], 2, 'open-loop', true);
    expect(plan.map((run) => `${run.order}:${run.pair}:${run.transport}:${run.pacer}`)).toEqual([
      '1:1:floor:open-loop',
      '2:1:raw:open-loop',
      '3:1:bridge:open-loop',
      '4:1:bridge:precise',
      '5:2:floor:open-loop',
      '6:2:raw:open-loop',
      '7:2:bridge:open-loop',
      '8:2:bridge:precise',
    ]);
  });

  it('summarizes the harness overhead per round: the floor, and raw through the harness over it', () => {
    const runs = [
      { ...benchRun(2, 1, 'raw', { latencyP99Us: 400 }), transport: 'floor' as const },
      benchRun(2, 1, 'raw', { latencyP99Us: 600 }),
      benchRun(2, 1, 'bridge', { latencyP99Us: 700 }),
    ];
    const summary = summarizeProcs(runs, 2, 1, 'open-loop');
    expect(summary.harnessOverhead).toMatchObject({ roundsCompleted: 1 });
    expect(summary.harnessOverhead?.floor.latencyP99Us?.median).toBe(400);
    expect(summary.harnessOverhead?.ratio.latencyP99Us?.median).toBe(1.5);
    expect(summary.ratio.latencyP99Us?.median).toBeCloseTo(700 / 600, 12);
  });

  it('summarizes the pacer effect per round: the bridge on the other pacer, and the bridge on its own over it', () => {
    const runs = [
      benchRun(2, 1, 'raw', { latencyP50Us: 800 }),
      benchRun(2, 1, 'bridge', { latencyP50Us: 400 }),
      { ...benchRun(2, 1, 'bridge', { latencyP50Us: 1000 }), pacer: 'precise' as const },
      benchRun(2, 2, 'raw', { latencyP50Us: 900 }),
      benchRun(2, 2, 'bridge', { latencyP50Us: 300 }),
      { ...benchRun(2, 2, 'bridge', null), pacer: 'precise' as const },
    ];
    const summary = summarizeProcs(runs, 2, 2, 'open-loop');
    expect(summary.pairsCompleted).toBe(2);
    expect(summary.bridge.latencyP50Us?.median).toBe(350);
    expect(summary.pacerEffect).toMatchObject({ pacer: 'precise', roundsCompleted: 1 });
    expect(summary.pacerEffect?.bridge.latencyP50Us).toEqual({ median: 1000, min: 1000, max: 1000, count: 1 });
    expect(summary.pacerEffect?.ratio.latencyP50Us?.median).toBe(0.4);
    expect(
      summarizeProcs(
        runs.filter((run) => run.pacer === 'open-loop'),
        2,
        2,
        'open-loop',
      ).pacerEffect,
    ).toBeNull();
  });

  it('on --pacer=naive-interval, sets the bridge on precise (its best pacer) against the floor on the interval pacer', () => {
    const naive = 'naive-interval' as const;
    const runs = [
      {
        ...benchRun(2, 1, 'raw', { latencyP50Us: 1000, latencyP99Us: 2000 }),
        transport: 'floor' as const,
        pacer: naive,
      },
      { ...benchRun(2, 1, 'raw', { latencyP50Us: 1100 }), pacer: naive },
      { ...benchRun(2, 1, 'bridge', { latencyP50Us: 1150 }), pacer: naive },
      { ...benchRun(2, 1, 'bridge', { latencyP50Us: 500, latencyP99Us: 1000 }), pacer: 'precise' as const },
    ];
    const summary = summarizeProcs(runs, 2, 1, naive);
    expect(summary.pacerEffect?.pacer).toBe('precise');
    expect(summary.pacerEffect?.toFloor?.latencyP50Us?.median).toBe(0.5);
    expect(summary.pacerEffect?.toFloor?.latencyP99Us?.median).toBe(0.5);
    const table = summaryTable(summary, naive);
    expect(table.headers.at(-1)).toBe('bridge precise / floor');
    expect(table.rows.find((row) => row[0] === 'latency from intended p50 (us)')?.at(-1)).toBe('0.50');
  });
});
