// The --dashboard page while the run goes: where it is, latency and rates so far, and the per-second charts of the
// report page, drawn from the same chart specs; `liveUpdate` is what the page gets once a second to redraw them.
import type { LiveSnapshot } from '../../model/live-snapshot.js';
import type { TimeSeries } from '../../model/report.js';
import { chartFigure, pageSection } from '../chart-figure.js';
import { figure, figureText, type FigureUnit } from '../figure.js';
import { type LiveUpdate, PAGE_DATA_VERSION } from '../page-data.js';
import { renderPage } from '../page-shell.js';
import { timeCharts } from '../run/time-charts.js';
import { html, type SafeHtml } from '../safe-html.js';

/** The live figures, each by its data-field: what the page shows in text and what a test compares. */
interface LiveFigure {
  label: string;
  field: string;
  value: number | null;
  unit: FigureUnit;
}

/** The last interval some instance reported, for "now" rates (the current one is not complete yet). */
function lastReported(series: TimeSeries, column: 'published' | 'delivered'): number | null {
  for (let at = series.tMs.length - 1; at >= 0; at -= 1) {
    const value = series[column][at];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

function liveFigures(snapshot: LiveSnapshot): LiveFigure[] {
  const fleet = snapshot.timeSeries.fleet;
  const perSecond = 1000 / snapshot.timeSeries.intervalMs;
  const rate = (value: number | null) => (value === null ? null : value * perSecond);
  // No event measured yet: no latency to show (0 would read as instant).
  const latency = (value: number) => (snapshot.latencySoFarUs.count === 0 ? null : value);
  return [
    { label: 'time', field: 'live.atMs', value: snapshot.atMs, unit: 'ms' },
    {
      label: 'events measured',
      field: 'live.latencySoFarUs.count',
      value: snapshot.latencySoFarUs.count,
      unit: 'count',
    },
    {
      label: 'latency p50 so far',
      field: 'live.latencySoFarUs.p50',
      value: latency(snapshot.latencySoFarUs.p50),
      unit: 'us',
    },
    {
      label: 'latency p99 so far',
      field: 'live.latencySoFarUs.p99',
      value: latency(snapshot.latencySoFarUs.p99),
      unit: 'us',
    },
    {
      label: 'latency max so far',
      field: 'live.latencySoFarUs.max',
      value: latency(snapshot.latencySoFarUs.max),
      unit: 'us',
    },
    {
      label: 'published (last s)',
      field: 'live.publishedPerSec',
      value: rate(lastReported(fleet, 'published')),
      unit: 'eventsPerSec',
    },
    {
      label: 'delivered (last s)',
      field: 'live.deliveredPerSec',
      value: rate(lastReported(fleet, 'delivered')),
      unit: 'eventsPerSec',
    },
  ];
}

export function liveUpdate(snapshot: LiveSnapshot): LiveUpdate {
  return {
    phase: snapshot.phase,
    page: { version: PAGE_DATA_VERSION, charts: timeCharts(snapshot.timeSeries) },
    figures: Object.fromEntries(
      liveFigures(snapshot).map((entry) => [
        entry.field,
        { value: entry.value, text: figureText(entry.value, entry.unit) },
      ]),
    ),
  };
}

function banner(snapshot: LiveSnapshot | undefined): SafeHtml {
  if (snapshot === undefined) {
    return html`<header class="verdict neutral" id="verdict"><div class="word">LIVE</div><div class="what"><strong>evbridge harness</strong><br>starting the workers: the charts appear when measurement starts</div></header>`;
  }
  const { run } = snapshot;
  return html`<header class="verdict neutral" id="verdict" data-live="true"><div class="word">LIVE</div><div class="what"><strong>evbridge harness run ${run.id}</strong><br>phase <span data-field="live.phase">${snapshot.phase}</span> · ${figure('live.atMs', snapshot.atMs, 'ms')} of ${figure('run.durationMs', run.durationMs, 'ms')} measured after ${figure('run.warmupMs', run.warmupMs, 'ms')} warm-up · ${run.procs} × ${run.driver} · ${figure('run.rateEventsPerSec', run.rateEventsPerSec, 'eventsPerSec')} · ${figure('run.payloadBytes', run.payloadBytes, 'size')} payloads</div></header>`;
}

/** The live page: the figures and charts so far, updated from /events, and the final report once the run is over. */
export function renderLivePage(snapshot: LiveSnapshot | undefined): string {
  const charts = snapshot === undefined ? [] : timeCharts(snapshot.timeSeries);
  const cards =
    snapshot === undefined
      ? ''
      : html`<div class="cards">${liveFigures(snapshot)
          .slice(1)
          .map(
            (entry) =>
              html`<div class="card"><div class="label">${entry.label}</div><div class="value">${figure(entry.field, entry.value, entry.unit)}</div></div>`,
          )}</div>`;
  const body = html`${banner(snapshot)}${cards}${pageSection(
    'charts',
    'The run so far',
    html`<div class="charts">${charts.map((spec) => chartFigure(spec))}</div><p class="muted">Updated once a second from the workers' interval stats. Losses are known exactly from the receivers' ledgers at the end: this page then shows the final report.</p>`,
  )}<footer>Served live by the evbridge harness (--dashboard) on loopback; it closes when the run ends.</footer>`;
  return renderPage({
    title: snapshot === undefined ? 'evbridge harness: live' : `evbridge run ${snapshot.run.id}: live`,
    body,
    data: { version: PAGE_DATA_VERSION, charts },
    live: true,
  });
}
