// Tables as HTML: a header row and body rows of cells, numbers right-aligned; a bench CellTable as one.
import type { CellTable } from '../bench/cells.js';
import { html, type SafeHtml } from './safe-html.js';

export interface HtmlColumn {
  header: string;
  /** Right-aligned (numbers). */
  numeric?: boolean;
  /** Explains the column on hover. */
  title?: string;
}

/** A cell of text (escaped); `numeric` right-aligns it. */
export function textCell(text: string, numeric = false, className = ''): SafeHtml {
  const classes = [numeric ? 'num' : '', className].filter((name) => name !== '').join(' ');
  return classes === '' ? html`<td>${text}</td>` : html`<td class="${classes}">${text}</td>`;
}

/** `rows` are lists of cells (textCell, figureCell); `rowClasses` marks rows (a failed threshold, a lost cell). */
export function htmlTable(
  columns: readonly HtmlColumn[],
  rows: readonly (readonly SafeHtml[])[],
  options: { id?: string; className?: string; rowClasses?: readonly string[] } = {},
): SafeHtml {
  const head = columns.map((column) =>
    column.title === undefined
      ? html`<th${column.numeric ? html` class="num"` : ''}>${column.header}</th>`
      : html`<th${column.numeric ? html` class="num"` : ''} title="${column.title}">${column.header}</th>`,
  );
  const body = rows.map((cells, index) => {
    const rowClass = options.rowClasses?.[index] ?? '';
    return rowClass === '' ? html`<tr>${cells}</tr>` : html`<tr class="${rowClass}">${cells}</tr>`;
  });
  return html`<div class="table-wrap"><table${options.id === undefined ? '' : html` id="${options.id}"`}${
    options.className === undefined ? '' : html` class="${options.className}"`
  }><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A bench table of printed cells: the first column text, the others right-aligned as the terminal prints them. */
export function cellTableHtml(table: CellTable): SafeHtml {
  const textColumns = new Set(['run', 'reasons', 'verdict']);
  const numeric = table.headers.map((header, index) => index > 0 && !textColumns.has(header));
  return htmlTable(
    table.headers.map((header, index) => ({ header, numeric: numeric[index] ?? false })),
    table.rows.map((row) => row.map((cell, index) => textCell(cell, numeric[index] ?? false))),
  );
}
