// A column-aligned text table: headers, left/right alignment, ANSI colour codes ignored when measuring width.

export interface TableColumn {
  header: string;
  /** Numbers read best right-aligned; the default. */
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** Prefix of every line. Default two spaces. */
  indent?: string;
  /** Spaces between columns. Default two. */
  gap?: number;
  /** Print the header row. Default true. */
  header?: boolean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const ANSI = /\x1b\[[0-9;]*m/g;

/** Width as a terminal shows it: colour codes take no room. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** One line per row (after an optional header row); missing cells print empty; no trailing spaces. */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  const indent = options.indent ?? '  ';
  const gap = ' '.repeat(options.gap ?? 2);
  const withHeader = options.header ?? true;
  const allRows = withHeader ? [columns.map((column) => column.header), ...rows] : [...rows];
  const widths = columns.map((_, index) => Math.max(0, ...allRows.map((row) => visibleLength(row[index] ?? ''))));
  return allRows.map((row) => {
    const cells = columns.map((column, index) => pad(row[index] ?? '', widths[index] ?? 0, column.align ?? 'right'));
    return `${indent}${cells.join(gap)}`.trimEnd();
  });
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const room = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'left' ? `${text}${room}` : `${room}${text}`;
}

/** Label/value lines with the values aligned: a two-column table without a header. */
export function renderPairs(pairs: readonly (readonly [string, string])[], indent = '  '): string[] {
  return renderTable(
    [
      { header: '', align: 'left' },
      { header: '', align: 'left' },
    ],
    pairs,
    { indent, header: false },
  );
}
