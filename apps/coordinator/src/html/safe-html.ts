// HTML built with a tagged template that escapes every value put into it: text from a report never becomes markup.

/** Markup this module built (or trusted text, see rawHtml): interpolated as is, never escaped again. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What a template may interpolate: markup, text and numbers (escaped), nothing (null, undefined, false), lists of them. */
export type HtmlPart = SafeHtml | string | number | null | undefined | false | readonly HtmlPart[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as it may stand in an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * `html\`<td title="${name}">${value}</td>\``: strings and numbers are escaped, SafeHtml kept, lists joined, null,
 * undefined and false left out. Interpolate attributes only inside quotes.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlPart[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += partMarkup(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}

/** Markup that is trusted as it is: this module's own CSS and scripts, the chart library. Never report text. */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function partMarkup(part: HtmlPart): string {
  if (part instanceof SafeHtml) return part.markup;
  if (part === null || part === undefined || part === false) return '';
  if (typeof part === 'number') return escapeHtml(String(part));
  if (typeof part === 'string') return escapeHtml(part);
  return part.map(partMarkup).join('');
}

/**
 * A value as JSON that can stand inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes (so no
 * `</script>` or `<!--` can end or bend the element), and the two line separators JavaScript once refused in strings.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
