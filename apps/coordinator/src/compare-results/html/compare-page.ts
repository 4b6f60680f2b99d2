// `pnpm compare --html FILE`: the comparison as one self-contained HTML page, in the report pages' style: the result
// and the rules first, what was compared, the table of figures, then the samples the test judged, base and new
// overlaid. Every number is a figure pointing into the comparison JSON (what --json writes).
import { chartFigure, notice, pageSection } from '../../html/chart-figure.js';
import { PAGE_DATA_VERSION } from '../../html/page-data.js';
import { renderPage } from '../../html/page-shell.js';
import { html } from '../../html/safe-html.js';
import type { ResultFile } from '../../results/read-result.js';
import type { Comparison } from '../comparison.js';
import { compareCharts } from './compare-charts.js';
import { comparedSection } from './compare-sides.js';
import { figuresTables } from './compare-table.js';
import { compareBanner, rulesSection, sideName } from './compare-verdict.js';

/** The two files the comparison was made of (the charts plot their samples). */
export interface ComparedFiles {
  base: ResultFile;
  new: ResultFile;
}

export function renderComparisonHtml(comparison: Comparison, files: ComparedFiles): string {
  const { charts, missing } = compareCharts(files.base, files.new);
  const explained =
    comparison.base.kind === 'bench'
      ? "Each arm's figure in every round on either side, the runs the test compared: dashed the base, solid new, one colour per arm."
      : "The per-second values the test compared, over each run's measured window (x: seconds into it, the warm-up left out): blue the base, orange new; dashed p50, solid p99. Shaded: the faults of either run.";
  const chartsSection = pageSection('charts', 'Samples', [
    charts.length === 0 ? '' : html`<div class="charts">${charts.map((spec) => chartFigure(spec))}</div>`,
    missing === undefined ? '' : notice(`${missing}.`),
    charts.length === 0 ? '' : html`<p class="muted">${explained}</p>`,
  ]);
  const body = html`${compareBanner(comparison)}${rulesSection(comparison)}${comparedSection(comparison)}${pageSection(
    'figures',
    'Figures',
    figuresTables(comparison),
  )}${chartsSection}<footer>Rendered by pnpm compare (comparison schema ${comparison.schemaVersion}); every figure on this page is in the comparison JSON that --json writes. Charts drawn with uPlot, inlined.</footer>`;
  return renderPage({
    title: `evbridge compare: ${sideName(comparison.base)} against ${sideName(comparison.new)}`,
    body,
    data: { version: PAGE_DATA_VERSION, charts },
  });
}
