// One find-max search's steps as a table: rate, verdict, delivery, p50 and p99, achieved rate, losses, why it failed.
import type { FindMaxResult } from '../../find-max/find-max.js';
import { figureCell } from '../figure.js';
import { htmlTable, textCell } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

/** `path` is where the result sits in the JSON (`findMaxDrivers.drivers.0.result`, or '' for a find-max document). */
export function findMaxStepsHtml(result: FindMaxResult, path: string): SafeHtml {
  const at = (index: number, field: string) => `${path === '' ? '' : `${path}.`}steps.${index}.${field}`;
  const p50 = result.steps.some((step) => step.p50Us !== undefined);
  return htmlTable(
    [
      { header: 'step', numeric: true },
      { header: 'offered rate', numeric: true },
      { header: 'verdict' },
      { header: 'delivery', numeric: true },
      ...(p50 ? [{ header: 'p50', numeric: true }] : []),
      { header: 'p99', numeric: true },
      { header: 'published', numeric: true },
      { header: 'lost', numeric: true },
      { header: 'reasons' },
    ],
    result.steps.map((step, index) => [
      textCell(String(index + 1), true),
      figureCell(at(index, 'rateEventsPerSec'), step.rateEventsPerSec, 'eventsPerSec'),
      html`<td class="${step.passed ? 'status-pass' : 'status-fail'}">${step.passed ? 'holds' : 'fails'}</td>`,
      figureCell(at(index, 'deliveryRatio'), step.deliveryRatio, 'ratio'),
      ...(p50 ? [figureCell(at(index, 'p50Us'), step.p50Us, 'us')] : []),
      figureCell(at(index, 'p99Us'), step.p99Us, 'us'),
      figureCell(at(index, 'publishedEventsPerSec'), step.publishedEventsPerSec, 'eventsPerSec'),
      figureCell(at(index, 'lost'), step.lost, 'count'),
      textCell(step.reasons.join('; ')),
    ]),
    { className: 'steps', rowClasses: result.steps.map((step) => (step.passed ? '' : 'warn')) },
  );
}
