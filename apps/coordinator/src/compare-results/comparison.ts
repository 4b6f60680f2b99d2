// The comparison of two results (`pnpm compare base.json new.json`): the JSON --json writes and every renderer reads.

/** 1: the first form. Field names are a public contract (docs/report.md, "Comparing runs"). */
export const COMPARISON_SCHEMA_VERSION = 1;

/** `pnpm compare`'s exit codes. */
export const COMPARE_EXIT_CODES = {
  /** Compared; no --fail-on rule found a significant regression beyond its bound. */
  noRegression: 0,
  /** A --fail-on rule's metric got worse beyond its bound, and the change is significant. */
  regressed: 1,
  /** Not compared: a file unreadable, two kinds of result, settings that differ, a bad option or rule. */
  cannotCompare: 2,
} as const;

/**
 * The unit of a compared figure: `us` integer microseconds, `eventsPerSec`, `ratio` 0..1, `count` of events,
 * `percent` (CPU, % of one core), `mb` (10^6 bytes).
 */
export type CompareUnit = 'us' | 'eventsPerSec' | 'ratio' | 'count' | 'percent' | 'mb';

/** Whether the change of one figure is significant, and how that was decided. */
export type Judgement =
  | {
      /** A Mann-Whitney U test on the samples of the two sides (per-second values of a run, or a bench's runs). */
      kind: 'tested';
      method: 'exact' | 'asymptotic';
      pValue: number;
      /** pValue < alpha. */
      significant: boolean;
      /** Which way the new side's samples lie against the base's (from U), whether or not significant. */
      direction: 'higher' | 'lower' | 'none';
      baseSamples: number;
      newSamples: number;
      /** Hodges-Lehmann shift new - base of the samples with its 95% interval (bounds null when too few samples). */
      shift: { estimate: number; low: number | null; high: number | null };
    }
  | {
      /** A tally of the whole run (lost, delivery ratio): exact, so any change is a real one. */
      kind: 'exact';
      significant: boolean;
    }
  | {
      /** No test was possible; `reason` says why and, where one exists, the fix. */
      kind: 'not-judged';
      reason: string;
    };

/** `worse`/`better`: a significant change that way; `unchanged`: no significant change; `not-judged`: see judgement. */
export type MetricVerdict = 'worse' | 'better' | 'unchanged' | 'not-judged';

export interface MetricComparison {
  /** The name a --fail-on rule uses: `p99`, `deliveredPerSec`, `cpuPercent`. */
  metric: string;
  /** As tables show it: `latency p99`. */
  label: string;
  unit: CompareUnit;
  /** Which way is a regression. */
  worse: 'higher' | 'lower';
  /** The whole-window figure of each side (a bench: the median over its runs); null when it has none. */
  base: number | null;
  new: number | null;
  /** new - base, in `unit`; null when either is missing. */
  change: number | null;
  /** change / base x 100; null when either is missing or base is 0 (a rise from 0 has no percent). */
  changePercent: number | null;
  judgement: Judgement;
  verdict: MetricVerdict;
}

/** The figures of one thing measured on both sides: the run, or one arm of a bench (a driver at a process count). */
export interface ComparisonGroup {
  /** `run` for two run reports; for benches the arm: `evbridge, 5 procs, open-loop`. */
  name: string;
  metrics: MetricComparison[];
}

/** What each side was. */
export interface ComparedSide {
  path: string;
  kind: 'run' | 'bench';
  schemaVersion: number;
  /** The run id, or the bench's start time. */
  id: string;
  startedAt: string;
  durationMs: number;
  /** The run's `outcome`, or `complete`/`incomplete` for a bench. */
  outcome: string;
  /** Per-second samples in the measured window (a run of schema 3); null for a bench or a schema 2 report. */
  measuredSeconds: number | null;
}

/**
 * A setting of both sides as the refusal message writes it (`1000/s`, `256 B`, `5s`): those that must match to
 * compare (procs, rate, payload, driver, mode, pacer), then those that may differ (duration, warm-up, rounds).
 */
export interface ComparedSetting {
  name: string;
  base: string;
  new: string;
  /** True for a setting that must be equal (else the comparison is refused, exit 2). */
  mustMatch: boolean;
}

/** One --fail-on rule and what it found. */
export interface RuleOutcome {
  /** As written: `p99>+10%`. */
  rule: string;
  metric: string;
  /** True when, in some group, the metric got worse beyond the bound and the change is significant. */
  failed: boolean;
  /** One line per group: the change against the bound and whether it was significant. */
  findings: string[];
}

export interface Comparison {
  schemaVersion: typeof COMPARISON_SCHEMA_VERSION;
  kind: 'compare-results';
  base: ComparedSide;
  new: ComparedSide;
  /** What both sides were made with. */
  settings: ComparedSetting[];
  /** The significance level (--alpha). */
  alpha: number;
  /** Things to know that do not stop the comparison (durations differ, a side was interrupted). */
  notes: string[];
  groups: ComparisonGroup[];
  rules: RuleOutcome[];
  /** 1 when a rule failed, else 0. */
  exitCode: 0 | 1;
}
