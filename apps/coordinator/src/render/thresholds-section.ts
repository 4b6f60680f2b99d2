// The thresholds with PASS/FAIL per line and the overall verdict.

import { measuredNothing } from '../report/measured-nothing.js';
import type { Report } from '../model/report.js';
import { METRICS } from '../model/metrics.js';
import { parseThreshold } from '../thresholds/parse-threshold.js';
import { formatMetricValue } from './format.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

export function thresholdsSection(report: Report, style: Style): string[] {
  const results = report.thresholds;
  const lines = [style.heading(`Thresholds (${results.length})`)];
  if (results.length === 0) lines.push('  none were evaluated');
  else {
    lines.push(
      ...renderTable(
        [
          { header: '', align: 'left' },
          { header: '', align: 'left' },
          { header: '', align: 'left' },
        ],
        results.map((result) => [
          result.passed ? style.good('PASS') : style.bad('FAIL'),
          result.expression,
          result.actual === null ? 'actual: no data' : `actual: ${formatActual(result.expression, result.actual)}`,
        ]),
        { header: false },
      ),
    );
  }
  lines.push('', verdictLine(report, style));
  return lines;
}

/** The verdict, consistent with report.passed, and saying why when it failed. */
export function verdictLine(
  report: Pick<Report, 'passed' | 'outcome' | 'thresholds' | 'totals'>,
  style: Style,
): string {
  const total = report.thresholds.length;
  const failed = report.thresholds.filter((result) => !result.passed).length;
  if (report.passed) {
    if (total === 0) return style.warn('RESULT: PASS, but no threshold was evaluated: nothing was judged');
    return style.good(`RESULT: PASS (${total} of ${total} thresholds hold)`);
  }
  const reasons: string[] = [];
  if (failed > 0) reasons.push(`${failed} of ${total} thresholds failed`);
  if (report.outcome !== 'complete') reasons.push(`the run was ${report.outcome}`);
  const nothing = measuredNothing(report.totals);
  if (nothing !== undefined) reasons.push(`nothing was measured: ${nothing}`);
  if (reasons.length === 0) reasons.push('see the problems above');
  return style.bad(`RESULT: FAIL (${reasons.join('; ')})`);
}

/** `actual` in the unit of the expression's metric; a plain number when the expression does not parse. */
export function formatActual(expression: string, actual: number): string {
  const parsed = parseThreshold(expression);
  if (!parsed.ok) return String(actual);
  return formatMetricValue(METRICS[parsed.value.metric].unit, actual);
}
