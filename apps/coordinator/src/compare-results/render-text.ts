// The comparison as the terminal shows it: the two sides, one table per group, what was not judged, notes, the rules
// and the result line. Colour (verdicts, FAIL/PASS) only when asked (a TTY).
import { createStyle, type Style } from '../render/style.js';
import { renderTable } from '../render/table.js';
import type { Comparison, MetricVerdict } from './comparison.js';
import {
  COMPARISON_COLUMNS,
  notJudgedReasons,
  resultLine,
  rowCells,
  sideLine,
  significanceLine,
} from './table-rows.js';

function paintVerdict(style: Style, verdict: MetricVerdict, text: string): string {
  switch (verdict) {
    case 'worse':
      return style.bad(text);
    case 'better':
      return style.good(text);
    case 'not-judged':
      return style.warn(text);
    case 'unchanged':
      return text;
  }
}

export function renderComparisonText(comparison: Comparison, color: boolean): string {
  const style = createStyle(color);
  const lines: string[] = [
    style.heading('pnpm compare'),
    `  base: ${sideLine(comparison.base)}`,
    `  new:  ${sideLine(comparison.new)}`,
    `  ${significanceLine(comparison)}`,
  ];
  for (const group of comparison.groups) {
    lines.push('');
    if (comparison.base.kind === 'bench') lines.push(style.heading(group.name));
    const rows = group.metrics.map((row) => {
      const cells = rowCells(row);
      cells[cells.length - 1] = paintVerdict(style, row.verdict, cells.at(-1) ?? '');
      return cells;
    });
    lines.push(...renderTable(COMPARISON_COLUMNS, rows));
  }
  const reasons = notJudgedReasons(comparison);
  if (reasons.length > 0) lines.push('', 'Not judged:', ...reasons.map((reason) => `  ${reason}`));
  if (comparison.notes.length > 0) lines.push('', 'Notes:', ...comparison.notes.map((note) => `  ${note}`));
  if (comparison.rules.length > 0) {
    lines.push('', 'Rules (--fail-on):');
    for (const rule of comparison.rules) {
      const mark = rule.failed ? style.bad('FAIL') : style.good('PASS');
      lines.push(`  ${mark}  ${rule.rule}`, ...rule.findings.map((finding) => `        ${finding}`));
    }
  }
  const result = resultLine(comparison);
  lines.push('', comparison.exitCode === 1 ? style.bad(result) : result);
  return lines.join('\n');
}
