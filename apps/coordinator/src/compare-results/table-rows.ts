// The comparison table's columns and cells, shared by the terminal and Markdown forms so both show the same text.
import type { Comparison, MetricComparison, MetricVerdict } from './comparison.js';
import { formatChange, formatChangePercent, formatP, formatShift, formatValue } from './format-compare.js';

export const COMPARISON_COLUMNS = [
  { header: 'figure', align: 'left' },
  { header: 'base', align: 'right' },
  { header: 'new', align: 'right' },
  { header: 'change', align: 'right' },
  { header: 'change %', align: 'right' },
  { header: 'p', align: 'right' },
  { header: 'shift [95% CI]', align: 'right' },
  { header: 'verdict', align: 'left' },
] as const;

export const VERDICT_TEXT: Record<MetricVerdict, string> = {
  worse: 'worse',
  better: 'better',
  /** An exact tally that did not change reads `unchanged` instead. */
  unchanged: 'not significant',
  'not-judged': 'not judged',
};

/** The cells of one row, the verdict last (renderers colour it). */
export function rowCells(row: MetricComparison): string[] {
  return [
    row.label,
    formatValue(row.unit, row.base),
    formatValue(row.unit, row.new),
    formatChange(row.unit, row.change),
    formatChangePercent(row),
    formatP(row.judgement),
    formatShift(row.unit, row.judgement),
    row.verdict === 'unchanged' && row.judgement.kind === 'exact' ? 'unchanged' : VERDICT_TEXT[row.verdict],
  ];
}

/** Each reason a figure was not judged, once, with the figures it applies to: `latency p99.9: <reason>`. */
export function notJudgedReasons(comparison: Comparison): string[] {
  const byReason = new Map<string, string[]>();
  for (const group of comparison.groups) {
    for (const row of group.metrics) {
      if (row.judgement.kind !== 'not-judged') continue;
      const labels = byReason.get(row.judgement.reason) ?? [];
      if (!labels.includes(row.label)) labels.push(row.label);
      byReason.set(row.judgement.reason, labels);
    }
  }
  return [...byReason].map(([reason, labels]) => `${labels.join(', ')}: ${reason}`);
}

/** What the samples were, for the line above the table. */
export function significanceLine(comparison: Comparison): string {
  const samples =
    comparison.base.kind === 'run'
      ? `the per-second values of each run's measured window (${comparison.base.measuredSeconds ?? '-'} and ${comparison.new.measuredSeconds ?? '-'} seconds)`
      : "each arm's runs on either side";
  return `Significance: two-sided Mann-Whitney U test on ${samples}, alpha ${comparison.alpha}; shift: Hodges-Lehmann, new - base`;
}

/** The verdict line: what the rules found. */
export function resultLine(comparison: Comparison): string {
  const failed = comparison.rules.filter((rule) => rule.failed).length;
  const total = comparison.rules.length;
  if (total === 0) return 'RESULT: compared (no --fail-on rule: exit 0 whatever changed)';
  if (failed > 0) return `RESULT: REGRESSED (${failed} of ${total} --fail-on rules failed)`;
  return `RESULT: NO REGRESSION (${total} of ${total} --fail-on rules hold)`;
}

/** `base.json (run <id>, 2024-06-11T09:32:05Z, 4s)`. */
export function sideLine(side: Comparison['base']): string {
  const what = side.kind === 'run' ? `run ${side.id}` : 'bench';
  return `${side.path} (${what}, started ${side.startedAt}, ${side.durationMs / 1000}s${side.kind === 'bench' ? ' per run' : ''}, ${side.outcome})`;
}
