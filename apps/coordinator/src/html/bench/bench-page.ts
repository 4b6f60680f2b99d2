// A bench result (pnpm bench --json) as one HTML page: what ran on which machine, then by mode the drivers side by
// side, each driver's (or arm's) find-max search with latency against offered rate, or the raw/bridge summaries.
import type { BenchDocument } from '../../bench/bench-document.js';
import { driverRatiosTable } from '../../bench/drivers-tables.js';
import { fitTable, formatRatio, summaryTable, sweepTable } from '../../bench/cells.js';
import { columnNotes, headline, isFindMax, machineLines, noteLines } from '../../bench/render.js';
import { DEFAULT_SLO } from '../../config/slo.js';
import { describeSlo } from '../../find-max/slo.js';
import { chartFigure, notice, pageSection } from '../chart-figure.js';
import { figure } from '../figure.js';
import { cellTableHtml, htmlTable, textCell } from '../html-table.js';
import { PAGE_DATA_VERSION, type ChartSpec, type PageData } from '../page-data.js';
import { renderPage } from '../page-shell.js';
import { html, type SafeHtml } from '../safe-html.js';
import { benchRunsHtml, driversFiguresHtml } from './drivers-tables.js';
import { type CurveArm, findMaxCurve } from './find-max-curve.js';
import { findMaxStepsHtml } from './find-max-steps.js';

const MODE_TITLES: Record<BenchDocument['mode'], string> = {
  pairs: 'floor, raw and bridge',
  sweep: 'sweep over process counts',
  'find-max': 'find-max: floor, raw, bridge',
  drivers: 'drivers side by side',
  'drivers-find-max': 'find-max of each driver',
};

export function benchPageParts(doc: BenchDocument): { body: SafeHtml; data: PageData } {
  const charts: ChartSpec[] = [];
  const sections: SafeHtml[] = [];
  if (doc.mode === 'drivers' && doc.drivers) {
    sections.push(
      pageSection('drivers', `Drivers (${doc.drivers.procs} procs)`, [
        html`<p class="muted">Median [min-max] over rounds; every driver ran once per round on the same schedule, pacer, payload and Redis, the order rotated each round.</p>`,
        driversFiguresHtml(doc.drivers),
        html`<h3>Over ${doc.drivers.base} in the same round, median [min-max]</h3>`,
        cellTableHtml(driverRatiosTable(doc.drivers)),
      ]),
    );
  } else if (doc.mode === 'drivers-find-max' && doc.findMaxDrivers) {
    const found = doc.findMaxDrivers;
    const arms: CurveArm[] = found.drivers.map((entry) => ({ name: entry.driver, result: entry.result }));
    sections.push(
      findMaxSection(
        arms,
        (index) => `findMaxDrivers.drivers.${index}`,
        charts,
        found.stopped,
        found.base,
        found.drivers.map((entry) => entry.ratio),
      ),
    );
  } else if (doc.mode === 'find-max' && doc.findMax !== null) {
    const pair = doc.findMax;
    const arms: CurveArm[] = [
      ...(pair.floor === undefined ? [] : [{ name: 'floor', result: pair.floor }]),
      { name: 'raw', result: pair.raw },
      { name: 'bridge', result: pair.bridge },
    ];
    const keys = arms.map((arm) => arm.name);
    sections.push(
      findMaxSection(arms, (index) => `findMax.${keys[index]}`, charts, pair.stopped, undefined, undefined),
    );
    sections.push(
      html`<p>bridge / raw: ${pair.ratio === null ? '-' : formatRatio(pair.ratio)}${
        pair.rawToFloor === undefined || pair.rawToFloor === null
          ? ''
          : `; raw / floor: ${formatRatio(pair.rawToFloor)}`
      }</p>`,
    );
  } else if (doc.mode === 'sweep') {
    sections.push(
      pageSection('summary', 'Medians per process count', [
        cellTableHtml(sweepTable(doc.summary)),
        doc.sweepFits === null
          ? ''
          : html`<h3>Least-squares fits against N</h3>${cellTableHtml(fitTable(doc.sweepFits))}`,
      ]),
    );
  } else {
    for (const summary of doc.summary) {
      sections.push(
        pageSection('summary', `${summary.procs} procs: ${summary.pairsCompleted} of ${summary.pairsPlanned} rounds`, [
          html`<p class="muted">Median [min-max] over the rounds; bridge/raw = median of per-round ratios${columnNotes(summary, doc.settings.pacer)}.</p>`,
          cellTableHtml(summaryTable(summary, doc.settings.pacer)),
        ]),
      );
    }
  }
  if (!isFindMax(doc) && doc.runs.length > 0) {
    sections.push(
      pageSection('runs', `Runs (${doc.runs.length})`, [
        benchRunsHtml(doc.runs),
        html`<p class="muted">Worker CPU per delivered event: ${doc.cpuMethod}. IPC messages per worker per second: ${doc.ipcMethod}.</p>`,
      ]),
    );
  }
  const notes = noteLines(doc).filter((line) => line !== '');
  const body = html`<header class="verdict neutral" id="verdict"><div class="word">BENCH</div><div class="what"><strong>evbridge bench: ${MODE_TITLES[doc.mode]}${doc.complete ? '' : ' (INCOMPLETE)'}</strong><br>${headline(doc).replace(/^evbridge bench: /, '')}</div></header>${
    doc.complete ? '' : notice('This bench did not complete: its figures cover the runs that did.')
  }${notes.map((line) => notice(line))}${sections}${pageSection(
    'settings',
    'Machine and settings',
    html`<dl class="settings"><dt>command</dt><dd><code>${doc.command}</code></dd><dt>started</dt><dd>${doc.startedAt}</dd><dt>finished</dt><dd>${doc.finishedAt}</dd>${machineLines(
      doc,
    ).map((line) => {
      const [term = '', ...rest] = line.split(': ');
      return html`<dt>${term}</dt><dd>${rest.join(': ')}</dd>`;
    })}</dl>`,
  )}<footer>Rendered by the evbridge harness from a bench result of schema ${doc.schemaVersion}. Charts drawn with uPlot, inlined.</footer>`;
  return { body, data: { version: PAGE_DATA_VERSION, charts } };
}

/** Each arm's maximum, latency against offered rate for all of them, then each search's steps. */
function findMaxSection(
  arms: readonly CurveArm[],
  pathOf: (index: number) => string,
  charts: ChartSpec[],
  stopped: string | null,
  base: string | undefined,
  ratios: ReadonlyArray<number | null> | undefined,
): SafeHtml {
  const slo = arms.find((arm) => arm.result !== null)?.result?.slo ?? DEFAULT_SLO;
  const curve = findMaxCurve('find-max-curve', arms, slo);
  if (curve !== undefined) charts.push(curve);
  const maxima = htmlTable(
    [
      { header: 'driver' },
      { header: 'max sustainable rate', numeric: true },
      ...(base === undefined ? [] : [{ header: `/ ${base}`, numeric: true }]),
      { header: 'steps', numeric: true },
    ],
    arms.map((arm, index) => [
      textCell(arm.name),
      arm.result === null
        ? textCell('not searched', true)
        : html`<td class="num">${figure(`${pathOf(index)}${base === undefined ? '' : '.result'}.maxRateEventsPerSec`, arm.result.maxRateEventsPerSec, 'eventsPerSec')}</td>`,
      ...(ratios === undefined
        ? []
        : [textCell(ratios[index] === null || ratios[index] === undefined ? '-' : formatRatio(ratios[index]), true)]),
      textCell(arm.result === null ? '-' : String(arm.result.steps.length), true),
    ]),
    { id: 'find-max-table' },
  );
  return pageSection('find-max', 'Highest sustainable rate', [
    stopped === null ? '' : notice(`Stopped early: ${stopped}.`),
    html`<p class="muted">The highest offered rate that held the SLO (${describeSlo(slo)}) below every rate that failed it; in the chart, where each p99 curve crosses the SLO line is where that driver bends.</p>`,
    maxima,
    curve === undefined
      ? notice('No step was measured: nothing to plot.')
      : html`<div class="charts">${chartFigure(curve)}</div>`,
    arms.map((arm, index) =>
      arm.result === null
        ? ''
        : html`<h3>${arm.name}: ${arm.result.steps.length} steps</h3>${findMaxStepsHtml(arm.result, `${pathOf(index)}${base === undefined ? '' : '.result'}`)}`,
    ),
  ]);
}

/** The self-contained HTML file for a bench result. */
export function renderBenchHtml(doc: BenchDocument): string {
  return renderPage({ title: `evbridge bench: ${MODE_TITLES[doc.mode]} (${doc.startedAt})`, ...benchPageParts(doc) });
}
