// The summary's problems (when the run met any): which worker, and what, one row each.
import { markdownTable } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

/** No lines when the run met no problem. */
export function problemsTable(report: SummaryInput): string[] {
  if (report.problems.length === 0) return [];
  return [
    `### Problems (${report.problems.length})`,
    '',
    ...markdownTable(
      [
        { header: 'worker', align: 'left' },
        { header: 'problem', align: 'left' },
      ],
      report.problems.map((problem) => [
        problem.worker === undefined
          ? 'run'
          : `${problem.worker}${problem.pid === undefined ? '' : ` (pid ${problem.pid})`}`,
        problem.message,
      ]),
    ),
  ];
}
