// The summary's control channel line, in a run with remote workers: where they connected, how many came, and what
// the channel refused.
import { refusalsSeen } from '../report/control-refusals.js';
import { inlineText } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

/** No lines when the run had no remote workers. */
export function controlLine(report: SummaryInput): string[] {
  const control = report.control;
  if (control === undefined) return [];
  const refused = refusalsSeen(control);
  const refusals =
    refused.length === 0
      ? 'no connection refused'
      : `refused: ${refused.map(([reason, count]) => `${reason} ${count}`).join(', ')}`;
  return [
    `**Remote workers** on ${inlineText(control.listen)}: ${control.workersArrived} of ${control.workersExpected} arrived; ${refusals}.`,
  ];
}
