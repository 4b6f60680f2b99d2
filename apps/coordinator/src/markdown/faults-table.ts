// The summary's faults, one row each (when the run injected any): when it landed, the recovery, what it lost, its verdict.
import { formatDurationMs } from '../config/duration.js';
import { formatFault } from '../faults/parse-fault.js';
import type { FaultRecord } from '../model/report.js';
import { formatInteger } from '../render/format.js';
import { markdownTable } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

/** No lines when the run injected no fault. */
export function faultsTable(report: SummaryInput): string[] {
  const faults = report.faults ?? [];
  if (faults.length === 0) return [];
  return [
    `### Faults (${faults.length})`,
    '',
    ...markdownTable(
      [
        { header: 'fault', align: 'left' },
        { header: 'injected at' },
        { header: 'recovery' },
        { header: 'lost' },
        { header: 'verdict', align: 'left' },
      ],
      faults.map((fault) => {
        const injected = fault.injectedAtMs !== null;
        return [
          formatFault(fault),
          injected ? formatDurationMs(fault.injectedAtMs ?? 0) : '-',
          !injected ? '-' : fault.recovered && fault.recoveryMs !== null ? formatDurationMs(fault.recoveryMs) : 'never',
          injected ? formatInteger(fault.lost) : '-',
          verdict(fault),
        ];
      }),
    ),
    '',
    `Lost outside every fault window: ${formatInteger(report.totals.lostOutsideFaults)}.`,
  ];
}

/** As the JUnit testcase judges it: PASS, FAIL with why, or why it was never judged. */
function verdict(fault: FaultRecord): string {
  if (fault.status === 'not-reached') return 'not reached: the run ended first';
  if (fault.status === 'failed') return `not injected: ${fault.error ?? 'no reason given'}`;
  if (!fault.recovered) return 'FAIL: never recovered before the run ended';
  return `${fault.verdict.allowed ? 'PASS' : 'FAIL'}: ${fault.verdict.explanation}`;
}
