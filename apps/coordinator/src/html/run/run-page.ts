// A run report as one HTML page: verdict and thresholds first, then the headline figures, latency by percentile, the
// run second by second, the instances, the sender x receiver matrix, faults, lost ranges and the run's settings.
import type { Report } from '../../model/report.js';
import { hasTimeSeries, type ReportV2 } from '../../results/read-result.js';
import { chartFigure, notice, pageSection } from '../chart-figure.js';
import { PAGE_DATA_VERSION, type ChartSpec, type PageData } from '../page-data.js';
import { renderPage } from '../page-shell.js';
import { html, type SafeHtml } from '../safe-html.js';
import { faultsSection } from './faults.js';
import { deliverySection, headlineCards, latencyTable, throughputTable } from './headline.js';
import { instancesSection } from './instances.js';
import { lostRangesSection } from './lost-ranges.js';
import { matrixSection } from './matrix.js';
import { identitySection, problemsSection, settingsSection } from './settings.js';
import { latencySpectrum } from './spectrum.js';
import { timeCharts } from './time-charts.js';
import { thresholdsSection, verdictBanner } from './verdict.js';

/** What re-running with this version adds to a schema 2 report. */
export const SCHEMA_2_NOTICE =
  'This report is of schema 2: the per-second charts and the sender x receiver matrix need a re-run with this version (pnpm harness ... --json FILE, or --html FILE directly).';

/** The page's body and the data its charts are drawn from (a live page would send new data for the same body). */
export function runPageParts(report: Report | ReportV2): { body: SafeHtml; data: PageData } {
  const charts: ChartSpec[] = [];
  const figures: SafeHtml[] = [];
  const spectrum = latencySpectrum(report);
  if (spectrum.chart !== undefined) {
    charts.push(spectrum.chart);
    figures.push(chartFigure(spectrum.chart, spectrum.notes.length === 0 ? '' : `(${spectrum.notes.join('; ')})`));
  }
  const notes: SafeHtml[] = [];
  if (spectrum.chart === undefined) notes.push(notice(`No latency spectrum: ${spectrum.notes.join('; ')}.`));
  let matrix: SafeHtml;
  if (hasTimeSeries(report)) {
    const series = timeCharts(report.timeSeries);
    charts.push(...series);
    figures.push(...series.map((spec) => chartFigure(spec)));
    matrix = matrixSection(report.matrix);
  } else {
    notes.push(notice(SCHEMA_2_NOTICE));
    matrix = pageSection('matrix', 'Sender x receiver', notice(SCHEMA_2_NOTICE));
  }
  const interval = hasTimeSeries(report) ? report.timeSeries.intervalMs / 1000 : 1;
  const chartsSection = pageSection('charts', 'Charts', [
    html`<div class="charts">${figures}</div>`,
    notes,
    html`<p class="muted">Latency by percentile: x is the percentile on a log scale (each step right is ten times rarer), as HdrHistogram plots it, y the latency there, from the report's encoded histograms. Over time: per ${interval} s interval, plotted at its middle; shaded: the warm-up (grey) and each fault from its injection to its recovery (red); dashed lines: the measured window.</p>`,
  ]);
  const body = html`${verdictBanner(report)}${report.schemaVersion === 2 ? notice(SCHEMA_2_NOTICE) : ''}${thresholdsSection(report)}${headlineCards(report)}${chartsSection}${pageSection(
    'latency',
    'Latency',
    latencyTable(report),
  )}${pageSection('throughput', 'Throughput', throughputTable(report))}${deliverySection(report)}${instancesSection(report)}${matrix}${faultsSection(report)}${lostRangesSection(report)}${identitySection(report)}${problemsSection(report)}${settingsSection(report)}<footer>Rendered by the evbridge harness from a run report of schema ${report.schemaVersion}. Every figure on this page is in the JSON report; charts drawn with uPlot, inlined.</footer>`;
  return { body, data: { version: PAGE_DATA_VERSION, charts } };
}

/** The self-contained HTML file for a run report (schema 2 or 3). */
export function renderRunHtml(report: Report | ReportV2): string {
  const parts = runPageParts(report);
  return renderPage({ title: `evbridge run ${report.run.id}: ${report.passed ? 'PASS' : 'FAIL'}`, ...parts });
}
