// Per process count: the median over pairs with min-max of every figure, for raw and bridge, and the bridge/raw ratio.

import { summarize } from '@evbridge/metrics';
import { BENCH_METRIC_KEYS, type BenchMetricKey } from './metrics.js';
import type { BenchRun } from './run-pairs.js';

/** Median, min and max of the values present; `count` of them. */
export interface Span {
  median: number;
  min: number;
  max: number;
  count: number;
}

export type SpanByMetric = Record<BenchMetricKey, Span | null>;

export interface ProcsSummary {
  procs: number;
  /** Pairs where both runs completed: only these count, for all three columns. */
  pairsCompleted: number;
  pairsPlanned: number;
  raw: SpanByMetric;
  bridge: SpanByMetric;
  /** Median (min-max) over pairs of bridge / raw, each pair's ratio on its own; null where raw is 0 or missing. */
  ratio: SpanByMetric;
}

/** Null for no values; the median of an even count is the mean of the middle two. */
export function spanOf(values: ReadonlyArray<number | null>): Span | null {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (present.length === 0) return null;
  const summary = summarize(present);
  return { median: summary.median, min: summary.min, max: summary.max, count: summary.count };
}

/** bridge / raw, or null when either is missing or raw is 0. */
export function ratioOf(bridge: number | null, raw: number | null): number | null {
  if (bridge === null || raw === null || raw === 0) return null;
  return bridge / raw;
}

interface CompletedPair {
  raw: BenchRun;
  bridge: BenchRun;
}

/** The pairs of `procs` whose raw and bridge runs both completed with figures. */
export function completedPairs(runs: readonly BenchRun[], procs: number): CompletedPair[] {
  const pairs = new Map<number, Partial<CompletedPair>>();
  for (const run of runs) {
    if (run.procs !== procs || run.figures === null) continue;
    const pair = pairs.get(run.pair) ?? {};
    pair[run.transport] = run;
    pairs.set(run.pair, pair);
  }
  return [...pairs.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, pair]) => pair)
    .filter((pair): pair is CompletedPair => pair.raw !== undefined && pair.bridge !== undefined);
}

export function summarizeProcs(runs: readonly BenchRun[], procs: number, pairsPlanned: number): ProcsSummary {
  const pairs = completedPairs(runs, procs);
  const raw = {} as SpanByMetric;
  const bridge = {} as SpanByMetric;
  const ratio = {} as SpanByMetric;
  for (const key of BENCH_METRIC_KEYS) {
    const rawValues = pairs.map((pair) => pair.raw.figures?.[key] ?? null);
    const bridgeValues = pairs.map((pair) => pair.bridge.figures?.[key] ?? null);
    raw[key] = spanOf(rawValues);
    bridge[key] = spanOf(bridgeValues);
    ratio[key] = spanOf(pairs.map((_, index) => ratioOf(bridgeValues[index] ?? null, rawValues[index] ?? null)));
  }
  return { procs, pairsCompleted: pairs.length, pairsPlanned, raw, bridge, ratio };
}

export function summarizeBench(runs: readonly BenchRun[], procsList: readonly number[], pairsPlanned: number): ProcsSummary[] {
  return procsList.map((procs) => summarizeProcs(runs, procs, pairsPlanned));
}
