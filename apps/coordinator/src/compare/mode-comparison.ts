// --compare-modes: the same run as one OS process per instance and as worker threads of one process, figure by figure.
import { summarize } from '@evbridge/metrics';
import type { Report } from '../model/report.js';
import { LAUNCHER_KINDS, launcherKindOf } from '../fleet/launcher-kinds.js';

export const COMPARISON_SCHEMA_VERSION = 1;

export type ComparedMode = 'procs' | 'threads';
export const COMPARED_MODES: readonly ComparedMode[] = ['procs', 'threads'];

/** One figure of both runs; null where a run has no value (it failed before measuring). */
export interface ComparisonRow {
  /** Stable key, such as `latencyUs.p99` or `rssBytesPerInstance`. */
  figure: string;
  unit: 'ratio' | 'factor' | 'count' | 'us' | 'bytes' | 'percent';
  procs: number | null;
  threads: number | null;
  /** threads - procs. */
  difference: number | null;
  /** threads / procs (null when procs is 0 or either is missing). */
  ratio: number | null;
}

/** What one mode's run came to: its report when it measured anything, its exit code, and why it stopped early. */
export interface ModeOutcome {
  exitCode: number;
  report: Report | null;
  /** One line when the run could not be carried out (an identity collision, a failed worker, ...). */
  error: string | null;
}

/** The JSON --compare-modes writes: both full reports and the side-by-side figures. */
export interface ModeComparison {
  schemaVersion: typeof COMPARISON_SCHEMA_VERSION;
  kind: 'compare-modes';
  runs: Record<ComparedMode, ModeOutcome | null>;
  rows: ComparisonRow[];
}

interface Figure {
  figure: string;
  unit: ComparisonRow['unit'];
  /** null when the run has no such figure (latency of a run that delivered nothing). */
  of(report: Report): number | null;
}

/** A latency figure; null without samples (0 would read as "instant"). Transit is recorded for the same events. */
const latency =
  (value: (report: Report) => number) =>
  (report: Report): number | null =>
    report.latencyUs.count === 0 ? null : value(report);

/**
 * A resource per instance. A worker process measures itself; a worker thread can only read its whole process (Node
 * 20 has no per-thread CPU or RSS), so every row of a threads run holds the process's figure: that, over N.
 */
function perInstance(report: Report, value: (row: Report['instances'][number]) => number): number {
  const summary = summarize(report.instances.map(value));
  if (LAUNCHER_KINDS[launcherKindOf(report.run)].sharedProcess)
    return summary.count === 0 ? 0 : summary.median / summary.count;
  return summary.mean;
}

export const FIGURES: readonly Figure[] = [
  { figure: 'deliveryRatio', unit: 'ratio', of: (r) => r.totals.deliveryRatio },
  { figure: 'amplification', unit: 'factor', of: (r) => r.totals.amplification },
  { figure: 'selfReceived', unit: 'count', of: (r) => r.totals.selfReceived },
  { figure: 'lost', unit: 'count', of: (r) => r.totals.lost },
  { figure: 'distinctPids', unit: 'count', of: (r) => new Set(r.instances.map((row) => row.pid)).size },
  { figure: 'latencyUs.p50', unit: 'us', of: latency((r) => r.latencyUs.p50) },
  { figure: 'latencyUs.p99', unit: 'us', of: latency((r) => r.latencyUs.p99) },
  { figure: 'latencyUs.p999', unit: 'us', of: latency((r) => r.latencyUs.p999) },
  { figure: 'latencyUs.max', unit: 'us', of: latency((r) => r.latencyUs.max) },
  { figure: 'transitLatencyUs.p50', unit: 'us', of: latency((r) => r.transitLatencyUs.p50) },
  { figure: 'transitLatencyUs.p99', unit: 'us', of: latency((r) => r.transitLatencyUs.p99) },
  { figure: 'cpuUsPerInstance', unit: 'us', of: (r) => perInstance(r, (row) => row.cpuUs) },
  { figure: 'cpuPercentPerInstance', unit: 'percent', of: (r) => perInstance(r, (row) => row.cpuPercent) },
  { figure: 'rssBytesPerInstance', unit: 'bytes', of: (r) => perInstance(r, (row) => row.rssBytes) },
  // The instances' delays merged (each instance's ticks counted once), not a mean of their p99s.
  { figure: 'eventLoopDelayUs.p99', unit: 'us', of: (r) => r.eventLoopDelayUs.p99 },
];

export function compareReports(procs: Report | null, threads: Report | null): ComparisonRow[] {
  return FIGURES.map(({ figure, unit, of }) => {
    const a = procs === null ? null : of(procs);
    const b = threads === null ? null : of(threads);
    return {
      figure,
      unit,
      procs: a,
      threads: b,
      difference: a === null || b === null ? null : b - a,
      ratio: a === null || b === null || a === 0 ? null : b / a,
    };
  });
}

/** The worst of the runs' exit codes: an interruption, then a run that could not be carried out, then a failed threshold. */
export function combinedExitCode(codes: readonly number[]): number {
  const rank = (code: number): number => (code >= 128 ? 3 : code === 2 ? 2 : code === 1 ? 1 : code === 0 ? 0 : 2);
  return codes.reduce((worst, code) => (rank(code) > rank(worst) ? code : worst), 0);
}
