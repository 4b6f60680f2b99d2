// The faults injected on purpose: what each hit, when, who noticed, how long until every pair received again, what it
// lost, and whether Redis's semantics allow that; then the losses outside every fault window.
import { formatFault } from '../../faults/parse-fault.js';
import type { FaultRecord, Report } from '../../model/report.js';
import type { ReportV2 } from '../../results/read-result.js';
import { pageSection } from '../chart-figure.js';
import { figure, figureCell } from '../figure.js';
import { htmlTable, textCell } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

/** Nothing when the run injected no fault. */
export function faultsSection(report: Report | ReportV2): SafeHtml | undefined {
  const faults = report.faults ?? [];
  if (faults.length === 0) return undefined;
  const workers = report.instances.length;
  const rows = faults.map((fault, index) => {
    const path = `faults.${index}`;
    const reached = fault.injectedAtMs !== null;
    const dash = textCell('-', true);
    return [
      textCell(formatFault(fault)),
      textCell(targetText(fault)),
      figureCell(`${path}.atMs`, fault.atMs, 'ms'),
      reached
        ? figureCell(`${path}.injectedAtMs`, fault.injectedAtMs, 'ms')
        : textCell(
            fault.status === 'failed'
              ? `failed: ${fault.error ?? 'unknown error'}`
              : 'not reached: the run ended first',
          ),
      reached ? textCell(`${fault.noticed.length} of ${workers}`, true) : dash,
      !reached
        ? dash
        : fault.recovered && fault.recoveryMs !== null
          ? figureCell(`${path}.recoveryMs`, fault.recoveryMs, 'ms')
          : html`<td class="num status-fail">never</td>`,
      reached ? figureCell(`${path}.lost`, fault.lost, 'count') : dash,
      reached ? figureCell(`${path}.duplicates`, fault.duplicates, 'count') : dash,
      reached ? figureCell(`${path}.publishFailed`, fault.publishFailed, 'count') : dash,
      reached
        ? html`<td class="${fault.verdict.allowed ? 'status-pass' : 'status-fail'}">${fault.verdict.allowed ? 'yes' : 'NO'}</td>`
        : textCell('-'),
    ];
  });
  const outside = report.totals.lostOutsideFaults;
  return pageSection('faults', `Faults (${faults.length})`, [
    htmlTable(
      [
        { header: 'fault' },
        { header: 'target' },
        { header: 'at', numeric: true },
        { header: 'injected at', numeric: true },
        { header: 'noticed', numeric: true },
        { header: 'recovery', numeric: true, title: 'until every surviving pair received again' },
        { header: 'lost', numeric: true },
        { header: 'dup', numeric: true },
        { header: 'failed pub', numeric: true },
        { header: 'Redis allows' },
      ],
      rows,
      {
        id: 'faults-table',
        rowClasses: faults.map((fault) =>
          fault.status !== 'injected' || !fault.verdict.allowed || !fault.recovered ? 'fail' : '',
        ),
      },
    ),
    html`<ul>${faults.map((fault) => html`<li>${formatFault(fault)}: ${fault.detail ?? fault.error ?? 'no detail'}; ${fault.verdict.explanation}</li>`)}</ul>`,
    html`<p class="${outside === 0 ? '' : 'status-fail'}">Lost outside every fault window: ${figure('totals.lostOutsideFaults', outside, 'count')}</p>`,
  ]);
}

function targetText(fault: FaultRecord): string {
  const target = fault.target;
  if (target.type === 'redis') return 'redis';
  const seed = target.chosenBy === 'seed' ? ` (--fault-seed ${target.seed})` : '';
  return `worker ${target.index} (pid ${target.pid})${seed}`;
}
