// The sender x receiver matrix: deliveries and losses of every pair, lost cells highlighted; a large fleet shows only
// the pairs that lost something.
import type { DeliveryMatrix } from '../../model/report.js';
import { pageSection } from '../chart-figure.js';
import { figure, figureCell } from '../figure.js';
import { htmlTable, textCell } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

/** Up to this many instances the whole matrix is drawn; beyond, the pairs with losses. */
export const MATRIX_FULL_MAX = 40;

export function matrixSection(matrix: DeliveryMatrix): SafeHtml {
  const size = matrix.delivered.length;
  const intro = html`<p class="muted">Row = sender, column = receiver (worker indexes); each cell: measured events delivered, and lost when any.</p>`;
  if (size > MATRIX_FULL_MAX) return pageSection('matrix', 'Sender x receiver', [intro, lostPairs(matrix)]);
  const rows = matrix.delivered.map((row, sender) => [
    html`<th class="num">${sender}</th>`,
    ...row.map((delivered, receiver) => {
      if (delivered === null) return html`<td class="self">-</td>`;
      const lost = matrix.lost[sender]?.[receiver] ?? 0;
      const cell = html`${figure(`matrix.delivered.${sender}.${receiver}`, delivered, 'count')}${
        lost === null || lost === 0
          ? html`<span hidden>${figure(`matrix.lost.${sender}.${receiver}`, lost, 'count')}</span>`
          : html` <br>lost ${figure(`matrix.lost.${sender}.${receiver}`, lost, 'count')}`
      }`;
      return html`<td class="num${lost !== null && lost > 0 ? ' lost' : ''}">${cell}</td>`;
    }),
  ]);
  return pageSection('matrix', 'Sender x receiver', [
    intro,
    htmlTable(
      [
        { header: 'sender \\ receiver' },
        ...matrix.delivered.map((_, receiver) => ({ header: String(receiver), numeric: true })),
      ],
      rows,
      { id: 'matrix-table', className: 'matrix' },
    ),
  ]);
}

function lostPairs(matrix: DeliveryMatrix): SafeHtml {
  const rows: SafeHtml[][] = [];
  for (const [sender, row] of matrix.lost.entries()) {
    for (const [receiver, lost] of row.entries()) {
      if (lost === null || lost === 0) continue;
      rows.push([
        textCell(String(sender), true),
        textCell(String(receiver), true),
        figureCell(`matrix.delivered.${sender}.${receiver}`, matrix.delivered[sender]?.[receiver], 'count'),
        figureCell(`matrix.lost.${sender}.${receiver}`, lost, 'count'),
      ]);
    }
  }
  if (rows.length === 0) return html`<p>${matrix.delivered.length} instances: no pair lost an event.</p>`;
  return html`<p>${matrix.delivered.length} instances: the ${rows.length} pairs that lost events.</p>${htmlTable(
    [
      { header: 'sender', numeric: true },
      { header: 'receiver', numeric: true },
      { header: 'delivered', numeric: true },
      { header: 'lost', numeric: true },
    ],
    rows,
    { id: 'matrix-table', className: 'matrix' },
  )}`;
}
