// Markdown building blocks for the summary: inline text that user input cannot break out of, and GFM tables.

/**
 * Characters that could start Markdown or HTML inside inline text (a heading, a table cell): emphasis, code, links,
 * raw HTML, entities, strikethrough, a heading's closing #, and the cell separator. Escaped with a backslash, which
 * CommonMark allows before any ASCII punctuation, so each still reads as itself.
 */
const INLINE_SPECIAL = /[\\`*_[\]<>|~&#!]/g;

/** What GFM would turn into a link without any markup (`http://`, `www.`, an e-mail's `@`): one character escaped. */
const AUTOLINK_TRIGGER = /:(?=\/\/)|(?<=\bwww)\.|@/gi;

/** `text` as one line of literal, link-free inline Markdown: line breaks become ` | ` (as the terminal shows them). */
export function inlineText(text: string): string {
  return text
    .replace(/\s*(?:\r\n|\r|\n)\s*/g, ' | ')
    .replace(INLINE_SPECIAL, (char) => `\\${char}`)
    .replace(AUTOLINK_TRIGGER, (char) => `\\${char}`);
}

export type CellAlign = 'left' | 'right';

export interface MarkdownColumn {
  header: string;
  /** Default right: most cells are figures. */
  align?: CellAlign;
}

/** A GFM table; every header and cell is escaped as inline text, so a `|` or a newline in one cannot split it. */
export function markdownTable(columns: readonly MarkdownColumn[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(inlineText).join(' | ')} |`;
  return [
    line(columns.map((column) => column.header)),
    `|${columns.map((column) => ((column.align ?? 'right') === 'right' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((row) => line(columns.map((_, index) => row[index] ?? ''))),
  ];
}
