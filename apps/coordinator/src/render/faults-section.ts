// The faults section: each fault injected on purpose, what it hit, when it was planned and when it landed.

import { formatDurationMs } from '../cli/duration.js';
import type { FaultRecord, Report } from '../report/types.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** No lines when the run injected no fault (the section is then left out). */
export function faultsSection(report: Report, style: Style): string[] {
  const faults = report.faults ?? [];
  if (faults.length === 0) return [];
  return [
    style.heading(`Faults (${faults.length})`),
    ...renderTable(
      [
        { header: 'kind', align: 'left' },
        { header: 'target', align: 'left' },
        { header: 'at' },
        { header: 'for' },
        { header: 'injected at', align: 'left' },
      ],
      faults.map((fault) => [
        fault.kind,
        targetText(fault),
        formatDurationMs(fault.atMs),
        fault.durationMs === 0 ? '-' : formatDurationMs(fault.durationMs),
        landed(fault, style),
      ]),
    ),
  ];
}

function targetText(fault: FaultRecord): string {
  const target = fault.target;
  return target.type === 'redis' ? 'redis' : `worker ${target.index} (pid ${target.pid})`;
}

function landed(fault: FaultRecord, style: Style): string {
  if (fault.status === 'not-reached') return style.warn('not reached: the run ended first');
  if (fault.status === 'failed') return style.bad(`failed: ${fault.error ?? 'unknown error'}`);
  return fault.injectedAtMs === null ? '-' : formatDurationMs(fault.injectedAtMs);
}
