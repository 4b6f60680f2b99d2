// Per process count: the median over pairs with min-max of every figure, for raw and bridge, and the bridge/raw ratio.

import { summarize } from '@evbridge/metrics';
import { BENCH_METRIC_KEYS, type BenchMetricKey } from './metrics.js';
import type { PacerName } from '../config/option-names.js';
import { otherPacer } from './plan.js';
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
  /**
   * What the pacer alone does (pairs benches): the bridge on the other pacer in the same rounds, and per round the
   * bridge on the bench's pacer over the bridge on the other one. Null when no round ran it.
   */
  pacerEffect: {
    pacer: PacerName;
    roundsCompleted: number;
    bridge: SpanByMetric;
    ratio: SpanByMetric;
    /** Per round, the bridge on the other pacer over the floor on the bench's (absent in JSON from before it). */
    toFloor?: SpanByMetric | null;
  } | null;
  /**
   * What the harness itself costs (pairs benches): the harness-free floor in the same rounds, and per round the raw
   * transport through the harness over the floor. Null when no round ran it.
   */
  harnessOverhead: { roundsCompleted: number; floor: SpanByMetric; ratio: SpanByMetric } | null;
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

/** One round's completed runs: raw and bridge on the bench's pacer, the bridge on the other pacer. */
interface Round {
  floor?: BenchRun;
  raw?: BenchRun;
  bridge?: BenchRun;
  otherPacer?: BenchRun;
}

type Arm = keyof Round;

/** The rounds of `procs`, in order, with each run that completed with figures under its arm. */
function roundsOf(runs: readonly BenchRun[], procs: number, pacer: PacerName): Round[] {
  const rounds = new Map<number, Round>();
  for (const run of runs) {
    if (run.procs !== procs || run.figures === null) continue;
    const arm: Arm =
      run.transport === 'floor'
        ? 'floor'
        : run.transport === 'raw'
          ? 'raw'
          : run.pacer === pacer
            ? 'bridge'
            : 'otherPacer';
    rounds.set(run.pair, { ...rounds.get(run.pair), [arm]: run });
  }
  return [...rounds.entries()].sort(([a], [b]) => a - b).map(([, round]) => round);
}

/** Per metric, the span of `a` and of `b` over `rounds`, and of each round's a / b. */
function compare(rounds: readonly Round[], a: Arm, b: Arm): { a: SpanByMetric; b: SpanByMetric; ratio: SpanByMetric } {
  const spans = { a: {} as SpanByMetric, b: {} as SpanByMetric, ratio: {} as SpanByMetric };
  for (const key of BENCH_METRIC_KEYS) {
    const aValues = rounds.map((round) => round[a]?.figures?.[key] ?? null);
    const bValues = rounds.map((round) => round[b]?.figures?.[key] ?? null);
    spans.a[key] = spanOf(aValues);
    spans.b[key] = spanOf(bValues);
    spans.ratio[key] = spanOf(aValues.map((value, index) => ratioOf(value, bValues[index] ?? null)));
  }
  return spans;
}

export function summarizeProcs(
  runs: readonly BenchRun[],
  procs: number,
  pairsPlanned: number,
  pacer: PacerName,
): ProcsSummary {
  const rounds = roundsOf(runs, procs, pacer);
  const pairs = rounds.filter((round) => round.raw !== undefined && round.bridge !== undefined);
  const transports = compare(pairs, 'bridge', 'raw');
  const withOther = rounds.filter((round) => round.bridge !== undefined && round.otherPacer !== undefined);
  const pacers = withOther.length > 0 ? compare(withOther, 'bridge', 'otherPacer') : undefined;
  const withFloor = rounds.filter((round) => round.raw !== undefined && round.floor !== undefined);
  const overhead = withFloor.length > 0 ? compare(withFloor, 'raw', 'floor') : undefined;
  const otherWithFloor = withOther.filter((round) => round.floor !== undefined);
  const toFloor = otherWithFloor.length > 0 ? compare(otherWithFloor, 'otherPacer', 'floor').ratio : null;
  return {
    procs,
    pairsCompleted: pairs.length,
    pairsPlanned,
    raw: transports.b,
    bridge: transports.a,
    ratio: transports.ratio,
    pacerEffect:
      pacers === undefined
        ? null
        : {
            pacer: otherPacer(pacer),
            roundsCompleted: withOther.length,
            bridge: pacers.b,
            ratio: pacers.ratio,
            toFloor,
          },
    harnessOverhead:
      overhead === undefined ? null : { roundsCompleted: withFloor.length, floor: overhead.b, ratio: overhead.ratio },
  };
}

export function summarizeBench(
  runs: readonly BenchRun[],
  procsList: readonly number[],
  pairsPlanned: number,
  pacer: PacerName,
): ProcsSummary[] {
  return procsList.map((procs) => summarizeProcs(runs, procs, pairsPlanned, pacer));
}
