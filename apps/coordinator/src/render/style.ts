// Optional ANSI styling for the report: bold headings, green PASS, red FAIL. A no-op when colour is off.

export interface Style {
  heading(text: string): string;
  good(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
}

const wrap = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

export function createStyle(color: boolean): Style {
  if (!color) return { heading: plain, good: plain, bad: plain, warn: plain };
  return { heading: wrap('1'), good: wrap('32'), bad: wrap('31'), warn: wrap('33') };
}
