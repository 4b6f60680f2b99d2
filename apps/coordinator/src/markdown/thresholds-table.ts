// The summary's thresholds: each expression, its actual value in the metric's unit, PASS or FAIL.
import { formatActual } from '../render/thresholds-section.js';
import { markdownTable } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

export function thresholdsTable(report: SummaryInput): string[] {
  const lines = [`### Thresholds (${report.thresholds.length})`, ''];
  if (report.thresholds.length === 0) return [...lines, 'None was evaluated: nothing was judged.'];
  return [
    ...lines,
    ...markdownTable(
      [{ header: 'threshold', align: 'left' }, { header: 'actual' }, { header: 'result', align: 'left' }],
      report.thresholds.map((threshold) => [
        threshold.expression,
        threshold.actual === null ? 'no data' : formatActual(threshold.expression, threshold.actual),
        threshold.passed ? 'PASS' : 'FAIL',
      ]),
    ),
  ];
}
