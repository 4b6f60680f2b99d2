// The faults section: each fault injected on purpose, what it hit, who noticed, how long until every surviving pair
// received again, what it lost (exactly), and whether Redis's semantics allow that; then the losses outside them.

import { formatDurationMs } from '../config/duration.js';
import { formatFault } from '../faults/parse-fault.js';
import type { FaultRecord, Report } from '../model/report.js';
import { formatInteger } from './format.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** Lost ranges listed per fault; the rest are counted (all of them are in the JSON report). */
export const FAULT_LOST_RANGES_SHOWN = 8;

/** No lines when the run injected no fault (the section is then left out). */
export function faultsSection(report: Report, style: Style): string[] {
  const faults = report.faults ?? [];
  if (faults.length === 0) return [];
  const workers = report.instances.length;
  const lines = [
    style.heading(`Faults (${faults.length})`),
    ...renderTable(
      [
        { header: 'kind', align: 'left' },
        { header: 'target', align: 'left' },
        { header: 'at' },
        { header: 'for' },
        { header: 'injected at', align: 'left' },
        { header: 'noticed' },
        { header: 'recovery' },
        { header: 'lost' },
        { header: 'dup' },
        { header: 'failed pub' },
        { header: 'Redis allows', align: 'left' },
      ],
      faults.map((fault) => {
        const reached = fault.injectedAtMs !== null;
        return [
          fault.kind,
          targetText(fault),
          formatDurationMs(fault.atMs),
          fault.durationMs === 0 ? '-' : formatDurationMs(fault.durationMs),
          landed(fault, style),
          reached ? `${fault.noticed.length} of ${workers}` : '-',
          reached ? recoveryText(fault, style) : '-',
          reached ? formatInteger(fault.lost) : '-',
          reached ? formatInteger(fault.duplicates) : '-',
          reached ? formatInteger(fault.publishFailed) : '-',
          reached ? (fault.verdict.allowed ? 'yes' : style.bad('NO')) : '-',
        ];
      }),
    ),
  ];
  for (const fault of faults) {
    if (fault.injectedAtMs !== null) lines.push(...details(fault, style));
  }
  const outside = report.totals.lostOutsideFaults;
  lines.push(
    outside === 0
      ? '  lost outside every fault window: 0'
      : style.bad(`  lost outside every fault window: ${formatInteger(outside)} (see Lost ranges): the run fails`),
  );
  return lines;
}

function details(fault: FaultRecord, style: Style): string[] {
  const lines = [
    `  ${formatFault(fault)} on ${targetText(fault)}${seedText(fault)}: ${fault.detail ?? fault.error ?? 'no detail'}`,
  ];
  lines.push(
    fault.noticed.length === 0
      ? '    noticed by no worker (no state change, no failed publish)'
      : `    noticed: ${fault.noticed.map((notice) => `worker ${notice.worker} after ${formatDurationMs(notice.afterMs)} (${notice.how})`).join('; ')}`,
  );
  const window =
    fault.window === null
      ? ''
      : `; its window: events due ${formatDurationMs(fault.window.fromMs)} to ${formatDurationMs(fault.window.toMs)}`;
  if (!fault.recovered) lines.push(style.bad(`    did not recover before the run ended${window}`));
  else if (fault.recoveryMs === 0) lines.push(`    interrupted no surviving pair${window}`);
  else {
    const pair =
      fault.slowestPair === null
        ? ''
        : ` (last: worker ${fault.slowestPair.sender} -> worker ${fault.slowestPair.receiver})`;
    lines.push(`    recovered ${formatDurationMs(fault.recoveryMs ?? 0)} after the injection${pair}${window}`);
  }
  if (fault.lostRanges.length > 0) {
    const shown = fault.lostRanges
      .slice(0, FAULT_LOST_RANGES_SHOWN)
      .map(
        (range) =>
          `${range.sender}->${range.receiver} #${range.seqFrom}${range.seqTo === range.seqFrom ? '' : `-${range.seqTo}`}`,
      );
    const rest = fault.lostRanges.length - shown.length;
    const ranges = fault.lostRanges.length === 1 ? 'range' : 'ranges';
    lines.push(
      `    lost ${formatInteger(fault.lost)} in ${fault.lostRanges.length} ${ranges} (sender->receiver #seq): ${shown.join(', ')}${rest > 0 ? `, and ${rest} more` : ''}`,
    );
  }
  lines.push(`    ${fault.verdict.allowed ? '' : style.bad('NOT ALLOWED: ')}${fault.verdict.explanation}`);
  return lines;
}

function recoveryText(fault: FaultRecord, style: Style): string {
  if (!fault.recovered || fault.recoveryMs === null) return style.bad('never');
  return formatDurationMs(fault.recoveryMs);
}

function targetText(fault: FaultRecord): string {
  const target = fault.target;
  return target.type === 'redis' ? 'redis' : `worker ${target.index} (pid ${target.pid})`;
}

function seedText(fault: FaultRecord): string {
  const target = fault.target;
  return target.type === 'worker' && target.chosenBy === 'seed'
    ? ` (picked at random: --fault-seed ${target.seed})`
    : '';
}

function landed(fault: FaultRecord, style: Style): string {
  if (fault.status === 'not-reached') return style.warn('not reached: the run ended first');
  if (fault.status === 'failed') return style.bad(`failed: ${fault.error ?? 'unknown error'}`);
  return fault.injectedAtMs === null ? '-' : formatDurationMs(fault.injectedAtMs);
}
