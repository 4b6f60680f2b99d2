// Where a chart goes on the page: a captioned frame the page script draws into, saying so when JavaScript is off.
import type { ChartSpec } from './page-data.js';
import { type HtmlPart, html, type SafeHtml } from './safe-html.js';

export function chartFigure(spec: ChartSpec, note = ''): SafeHtml {
  return html`<figure class="chart"><figcaption>${spec.title}${
    note === '' ? '' : html` <span class="note">${note}</span>`
  }</figcaption><div class="chart-plot" id="chart-${spec.id}" data-chart="${spec.id}"><p class="no-js">This chart needs JavaScript; the tables hold every figure.</p></div></figure>`;
}

/** A section of the page: an anchor, a heading, its content. */
export function pageSection(id: string, title: string, content: HtmlPart): SafeHtml {
  return html`<section id="${id}"><h2>${title}</h2>${content}</section>`;
}

/** A highlighted note: what is missing and how to get it. */
export function notice(text: string): SafeHtml {
  return html`<p class="notice">${text}</p>`;
}

/** Eight colours told apart on white (the d3 category palette), cycled for more series. */
export const SERIES_COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? '#1f77b4';
}
