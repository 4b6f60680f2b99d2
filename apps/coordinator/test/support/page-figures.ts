// Reads the figures of an HTML report back (data-field, data-value, data-unit, the text shown) and checks each against
// the JSON it was rendered from: the raw value equal, the text a faithful rendering of it in its unit.
import { parseDurationMs } from '../../src/config/duration.js';
import { parseSizeBytes } from '../../src/config/size.js';

export interface PageFigure {
  field: string;
  /** data-value as written: a JSON number, or "null". */
  value: string;
  unit: string;
  text: string;
}

/** The value at a dotted path (`instances.0.latencyUs.p99`); undefined when the path leads nowhere. */
export function valueAt(json: unknown, path: string): unknown {
  let at: unknown = json;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The number a figure's text says, in its unit's terms (a ratio as 0..1, bytes, ms); NaN when it does not parse. */
export function numberShown(text: string, unit: string): number {
  const plain = text.replace(/,/g, '').trim();
  switch (unit) {
    case 'ratio':
      return Number(plain.replace(/^[<>]/, '').replace(/%$/, '')) / 100;
    case 'bytes':
      return Number(plain.replace(/ MiB$/, '')) * 1_048_576;
    case 'ms':
      return parseDurationMs(plain);
    case 'size':
      return parseSizeBytes(plain.replace(/ /g, ''));
    case 'ratioPoints':
      return Number(plain.replace(/ pts$/, '')) / 100;
    case 'p':
      return Number(plain.replace(/^</, ''));
    case 'mb':
    case 'percentPoints':
      return Number(plain.replace(/ (MB|pts)$/, ''));
    default:
      return Number(plain.replace(/( µs|\/s|%)$/, ''));
  }
}

/** How far the text may be from the value: what the unit's rounding allows. */
function tolerance(unit: string, value: number): number {
  switch (unit) {
    case 'ratio':
      return 1e-6;
    case 'factor':
      return Math.abs(value) * 1e-11;
    case 'eventsPerSec':
    case 'percent':
    case 'decimal':
    case 'mb':
    case 'percentPoints':
      return 0.05 + 1e-9;
    case 'ratioPoints':
      return 1e-6;
    case 'p':
      return 0.0005 + 1e-12;
    case 'bytes':
      return 0.05 * 1_048_576;
    default:
      return 0.5;
  }
}

/**
 * Every way a figure disagrees with `json`: its path leads nowhere, its raw value differs from the JSON's, or its
 * text does not show that value. Empty when the page says what the JSON says.
 */
export function figureMismatches(figures: readonly PageFigure[], json: unknown): string[] {
  const wrong: string[] = [];
  for (const figure of figures) {
    const expected = valueAt(json, figure.field);
    if (figure.value === 'null') {
      if (expected !== null && expected !== undefined)
        wrong.push(`${figure.field}: page null, JSON ${String(expected)}`);
      if (figure.text !== '-') wrong.push(`${figure.field}: no value but shows "${figure.text}"`);
      continue;
    }
    if (typeof expected !== 'number') {
      wrong.push(`${figure.field}: page ${figure.value}, JSON ${JSON.stringify(expected)}`);
      continue;
    }
    if (Number(figure.value) !== expected) wrong.push(`${figure.field}: page ${figure.value}, JSON ${expected}`);
    const shown = numberShown(figure.text, figure.unit);
    const allowed = tolerance(figure.unit, expected);
    // "<0.001" and ">99.9999%" say on which side of the number shown the value lies.
    const bound = figure.text.trim().charAt(0);
    const faithful =
      bound === '<' ? expected < shown : bound === '>' ? expected > shown : Math.abs(shown - expected) <= allowed;
    if (!faithful) {
      wrong.push(`${figure.field}: shows "${figure.text}" (${figure.unit}) for ${expected}`);
    }
  }
  return wrong;
}

/** The figures of a page's HTML source (the browser test reads them from the DOM instead). */
export function figuresInHtml(page: string): PageFigure[] {
  const pattern = /data-field="([^"]*)" data-value="([^"]*)" data-unit="([^"]*)">([^<]*)</g;
  return [...page.matchAll(pattern)].map((match) => ({
    field: match[1] ?? '',
    value: match[2] ?? '',
    unit: match[3] ?? '',
    text: (match[4] ?? '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
  }));
}
