// A find-max result (pnpm harness --find-max --json) as one HTML page: the answer, latency against offered rate, and
// every step.
import type { FindMaxDocument } from '../../find-max/document.js';
import { formatAnswer, formatTargetRate } from '../../find-max/render.js';
import { describeSlo } from '../../find-max/slo.js';
import { chartFigure, notice, pageSection } from '../chart-figure.js';
import { figure } from '../figure.js';
import { PAGE_DATA_VERSION, type ChartSpec, type PageData } from '../page-data.js';
import { renderPage } from '../page-shell.js';
import { html, type SafeHtml } from '../safe-html.js';
import { findMaxCurve } from './find-max-curve.js';
import { findMaxStepsHtml } from './find-max-steps.js';

export function findMaxPageParts(doc: FindMaxDocument): { body: SafeHtml; data: PageData } {
  const curve = findMaxCurve('find-max-curve', [{ name: doc.transport, result: doc }], doc.slo);
  const charts: ChartSpec[] = curve === undefined ? [] : [curve];
  const settings = doc.settings;
  const body = html`<header class="verdict ${doc.maxRateEventsPerSec === null ? 'fail' : 'neutral'}" id="verdict"><div class="word">FIND-MAX</div><div class="what"><strong>${doc.transport}, ${doc.procs} procs: ${
    doc.maxRateEventsPerSec === null
      ? 'no rate held the SLO'
      : html`${figure('maxRateEventsPerSec', doc.maxRateEventsPerSec, 'eventsPerSec')} sustained`
  }</strong><br>${formatAnswer(doc)} · outcome: <span data-field="outcome">${doc.outcome}</span></div></header>${
    doc.error === undefined ? '' : notice(`The search stopped early: ${doc.error}`)
  }${pageSection('curve', 'Latency against offered rate', [
    curve === undefined
      ? notice('No step was measured: nothing to plot.')
      : html`<div class="charts">${chartFigure(curve)}</div>`,
    html`<p class="muted">SLO: ${describeSlo(doc.slo)}. Each point is one step of the search (ramp, then bisection).</p>`,
  ])}${pageSection('steps', `Steps (${doc.steps.length})`, findMaxStepsHtml(doc, ''))}${pageSection(
    'settings',
    'Settings',
    html`<dl class="settings"><dt>driver</dt><dd>${doc.transport}</dd><dt>processes</dt><dd>${figure('procs', doc.procs, 'count')}</dd><dt>start rate</dt><dd>${formatTargetRate(settings.startRateEventsPerSec)}</dd><dt>payload</dt><dd>${figure('settings.payloadBytes', settings.payloadBytes, 'size')}</dd><dt>steps</dt><dd>${figure('settings.stepDurationMs', settings.stepDurationMs, 'ms')} measured after ${figure('settings.stepWarmupMs', settings.stepWarmupMs, 'ms')} warm-up, at most ${figure('settings.maxSteps', settings.maxSteps, 'count')}</dd></dl>`,
  )}<footer>Rendered by the evbridge harness from a find-max result of schema ${doc.schemaVersion}. Charts drawn with uPlot, inlined.</footer>`;
  return { body, data: { version: PAGE_DATA_VERSION, charts } };
}

/** The self-contained HTML file for a find-max result. */
export function renderFindMaxHtml(doc: FindMaxDocument): string {
  return renderPage({ title: `evbridge find-max: ${doc.transport}, ${doc.procs} procs`, ...findMaxPageParts(doc) });
}
