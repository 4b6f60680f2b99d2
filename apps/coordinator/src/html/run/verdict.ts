// The top of a run's page: PASS or FAIL with the outcome and why, then every threshold with its actual value.
import type { MetricUnit } from '../../model/metric-unit.js';
import { METRICS } from '../../model/metrics.js';
import type { Report } from '../../model/report.js';
import { verdictLine } from '../../render/thresholds-section.js';
import { createStyle } from '../../render/style.js';
import type { ReportV2 } from '../../results/read-result.js';
import { parseThreshold } from '../../thresholds/parse-threshold.js';
import { pageSection } from '../chart-figure.js';
import { figureCell, type FigureUnit } from '../figure.js';
import { htmlTable, textCell } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

const UNIT_OF_METRIC: Record<MetricUnit, FigureUnit> = {
  us: 'us',
  ratio: 'ratio',
  factor: 'factor',
  count: 'count',
  eventsPerSec: 'eventsPerSec',
};

export function verdictBanner(report: Report | ReportV2): SafeHtml {
  // The terminal's verdict line reads only passed, thresholds, outcome and totals: a schema 2 report has them all.
  const line = verdictLine(report as Report, createStyle(false))
    .replace(/^RESULT: (PASS|FAIL),? ?/, '')
    .replace(/^\((.*)\)$/, '$1');
  const word = report.passed ? 'PASS' : 'FAIL';
  return html`<header class="verdict ${report.passed ? 'pass' : 'fail'}" id="verdict" data-passed="${String(report.passed)}"><div class="word">${word}</div><div class="what"><strong>evbridge harness run ${report.run.id}</strong><br>${line} · outcome: <span data-field="outcome">${report.outcome}</span> · ${report.run.procs} × ${report.run.driver.name}, started ${report.run.startedAt}</div></header>`;
}

export function thresholdsSection(report: Report | ReportV2): SafeHtml {
  if (report.thresholds.length === 0) {
    return pageSection('thresholds', 'Thresholds', html`<p>None were evaluated: nothing was judged.</p>`);
  }
  const rows = report.thresholds.map((threshold, index) => [
    html`<td class="${threshold.passed ? 'status-pass' : 'status-fail'}">${threshold.passed ? 'PASS' : 'FAIL'}</td>`,
    textCell(threshold.expression),
    threshold.actual === null
      ? html`<td class="num"><span data-field="thresholds.${index}.actual" data-value="null">no data</span></td>`
      : figureCell(`thresholds.${index}.actual`, threshold.actual, unitOf(threshold.expression)),
  ]);
  return pageSection(
    'thresholds',
    `Thresholds (${report.thresholds.filter((threshold) => threshold.passed).length} of ${report.thresholds.length} hold)`,
    htmlTable([{ header: 'result' }, { header: 'threshold' }, { header: 'actual', numeric: true }], rows, {
      id: 'thresholds-table',
      rowClasses: report.thresholds.map((threshold) => (threshold.passed ? '' : 'fail')),
    }),
  );
}

/** The unit of the expression's metric; a plain count when it does not parse. */
function unitOf(expression: string): FigureUnit {
  const parsed = parseThreshold(expression);
  return parsed.ok ? UNIT_OF_METRIC[METRICS[parsed.value.metric].unit] : 'count';
}
