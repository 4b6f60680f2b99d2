// The comparison as Markdown (--markdown FILE): the same table, notes and rules as the terminal, for a pull request
// or a job summary.
import type { Comparison } from './comparison.js';
import {
  COMPARISON_COLUMNS,
  notJudgedReasons,
  resultLine,
  rowCells,
  sideLine,
  significanceLine,
} from './table-rows.js';

/** A cell's text safe inside a table row. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function renderComparisonMarkdown(comparison: Comparison): string {
  const lines: string[] = [
    '## pnpm compare',
    '',
    `- base: ${cell(sideLine(comparison.base))}`,
    `- new: ${cell(sideLine(comparison.new))}`,
    `- ${significanceLine(comparison)}`,
  ];
  const header = `| ${COMPARISON_COLUMNS.map((column) => column.header).join(' | ')} |`;
  const rule = `|${COMPARISON_COLUMNS.map((column) => (column.align === 'right' ? ' ---: ' : ' :--- ')).join('|')}|`;
  for (const group of comparison.groups) {
    lines.push('');
    if (comparison.base.kind === 'bench') lines.push(`### ${group.name}`, '');
    lines.push(header, rule, ...group.metrics.map((row) => `| ${rowCells(row).map(cell).join(' | ')} |`));
  }
  const reasons = notJudgedReasons(comparison);
  if (reasons.length > 0) lines.push('', '**Not judged**', '', ...reasons.map((reason) => `- ${cell(reason)}`));
  if (comparison.notes.length > 0) lines.push('', '**Notes**', '', ...comparison.notes.map((note) => `- ${note}`));
  if (comparison.rules.length > 0) {
    lines.push('', '**Rules (--fail-on)**', '');
    for (const outcome of comparison.rules) {
      lines.push(`- ${outcome.failed ? 'FAIL' : 'PASS'} \`${outcome.rule}\``);
      lines.push(...outcome.findings.map((finding) => `  - ${finding}`));
    }
  }
  lines.push('', `**${resultLine(comparison)}**`, '');
  return lines.join('\n');
}
