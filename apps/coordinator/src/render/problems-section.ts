// The problems the run met (worker failures, missing reports...), one line each.

import type { Report } from '../model/report.js';
import type { Style } from './style.js';

export function problemsSection(report: Report, style: Style): string[] {
  if (report.problems.length === 0) return [style.heading('Problems: none')];
  return [
    style.heading(`Problems (${report.problems.length})`),
    ...report.problems.map((problem) => {
      const who =
        problem.worker === undefined
          ? ''
          : `worker ${problem.worker}${problem.pid === undefined ? '' : ` (pid ${problem.pid})`}: `;
      return style.warn(`  - ${who}${oneLine(problem.message)}`);
    }),
  ];
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' | ');
}
