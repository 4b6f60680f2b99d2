// The comparison as Markdown (--markdown FILE): the same table, notes and rules as the terminal, for a pull request
// or a job summary.
import { inlineText } from '../markdown/markdown-text.js';
import type { Comparison } from './comparison.js';
import {
  COMPARISON_COLUMNS,
  notJudgedReasons,
  resultLine,
  rowCells,
  sideLine,
  significanceLine,
} from './table-rows.js';

/** A figure's text safe inside a table row (the figures are ours; user text goes through inlineText). */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function renderComparisonMarkdown(comparison: Comparison): string {
  const lines: string[] = [
    '## pnpm compare',
    '',
    `- base: ${inlineText(sideLine(comparison.base))}`,
    `- new: ${inlineText(sideLine(comparison.new))}`,
    `- ${significanceLine(comparison)}`,
  ];
  const header = `| ${COMPARISON_COLUMNS.map((column) => column.header).join(' | ')} |`;
  const rule = `|${COMPARISON_COLUMNS.map((column) => (column.align === 'right' ? ' ---: ' : ' :--- ')).join('|')}|`;
  for (const group of comparison.groups) {
    lines.push('');
    if (comparison.base.kind === 'bench') lines.push(`### ${inlineText(group.name)}`, '');
    lines.push(header, rule, ...group.metrics.map((row) => `| ${rowCells(row).map(cell).join(' | ')} |`));
  }
  const reasons = notJudgedReasons(comparison);
  if (reasons.length > 0) lines.push('', '**Not judged**', '', ...reasons.map((reason) => `- ${inlineText(reason)}`));
  if (comparison.notes.length > 0)
    lines.push('', '**Notes**', '', ...comparison.notes.map((note) => `- ${inlineText(note)}`));
  if (comparison.rules.length > 0) {
    lines.push('', '**Rules (--fail-on)**', '');
    for (const outcome of comparison.rules) {
      lines.push(`- ${outcome.failed ? 'FAIL' : 'PASS'} \`${outcome.rule}\``);
      lines.push(...outcome.findings.map((finding) => `  - ${inlineText(finding)}`));
    }
  }
  lines.push('', `**${resultLine(comparison)}**`, '');
  return lines.join('\n');
}
