// The whole page: one self-contained HTML file (styles, the chart library, the page data and its script inlined), with a
// Content-Security-Policy that forbids every network request, so it opens from disk and shows the same offline.
import { startLiveUpdates } from './client/live-updates.js';
import { startReportCharts } from './client/report-charts.js';
import { chartLibrary } from './chart-library.js';
import type { PageData } from './page-data.js';
import { PAGE_CSS } from './page-style.js';
import { html, jsonForScript, rawHtml, type SafeHtml } from './safe-html.js';

/** Nothing may be fetched: scripts and styles are inline, images only data: URLs (the empty favicon). */
export const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The live page's: the same, and its own origin's event stream (the dashboard serves it on loopback). */
export const LIVE_PAGE_CSP = PAGE_CSP.replace('img-src data:;', "img-src data:; connect-src 'self';");

export interface PageParts {
  title: string;
  /** The server-rendered content: every table and figure, readable with JavaScript off. */
  body: SafeHtml;
  /** What the charts are drawn from (the #report-data block). */
  data: PageData;
  /** The --dashboard page: it also follows the event stream at /events (and may connect to its own origin). */
  live?: boolean;
}

/** The HTML document; the charts are drawn by the page's script from `data`, re-drawable with evbridgeReport.render. */
export function renderPage(parts: PageParts): string {
  const library = chartLibrary();
  const start = [
    `window.evbridgeReport = (${startReportCharts.toString()})(document, uPlot, window);`,
    "window.evbridgeReport.render(JSON.parse(document.getElementById('report-data').textContent));",
    ...(parts.live === true
      ? [`(${startLiveUpdates.toString()})(document, window.evbridgeReport, window, (path) => new EventSource(path));`]
      : []),
  ].join('\n');
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${parts.live === true ? LIVE_PAGE_CSP : PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="evbridge harness">
<title>${parts.title}</title>
<link rel="icon" href="data:,">
<style>${inline(library.css, 'style')}</style>
<style>${inline(PAGE_CSS, 'style')}</style>
</head>
<body>
<main>
${parts.body}
</main>
<script type="application/json" id="report-data">${rawHtml(jsonForScript(parts.data))}</script>
<script>${inline(library.script, 'script')}</script>
<script>${inline(start, 'script')}</script>
</body>
</html>
`;
  return page.markup;
}

/** Trusted CSS or script, checked not to end its element early. */
function inline(text: string, element: 'style' | 'script'): SafeHtml {
  if (text.toLowerCase().includes(`</${element}`)) {
    throw new Error(`cannot inline a ${element} that contains </${element}: it would end the element early`);
  }
  return rawHtml(text);
}
