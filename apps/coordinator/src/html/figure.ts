// One number on the page: its text as people read it, and in data-field / data-value the JSON path it comes from and
// its raw value, so a test (or a script) can check every figure against the JSON it was rendered from.
import { formatDurationMs } from '../config/duration.js';
import { formatSizeBytes } from '../config/size.js';
import { formatDecimal, formatFactor, formatInteger, formatPercent } from '../render/format.js';
import { html, type SafeHtml } from './safe-html.js';

/**
 * How a figure is written (data-unit on the page): `us` "1,234 µs"; `ratio` a 0..1 ratio as a percent; `factor`
 * "4"; `count` "1,234"; `eventsPerSec` "999.8/s"; `percent` "12.5%" (already a percent, CPU); `bytes` "84.8 MiB";
 * `decimal` "97.2" (one decimal, a bench figure); `ms` "5.006s" (a duration); `size` "256 B" (a payload); `id`
 * "41001" (pids, sequence numbers, indexes: no separators); `mb` "75.5 MB" (10^6 bytes, as pnpm compare counts RSS);
 * `ratioPoints` "0.01 pts" (a change of a 0..1 ratio, in percentage points); `percentPoints` "5.1 pts" (a change of a
 * percent); `p` "0.008", "<0.001" (a p-value).
 */
export type FigureUnit =
  | 'us'
  | 'ratio'
  | 'factor'
  | 'count'
  | 'eventsPerSec'
  | 'percent'
  | 'bytes'
  | 'decimal'
  | 'ms'
  | 'size'
  | 'id'
  | 'mb'
  | 'ratioPoints'
  | 'percentPoints'
  | 'p';

const BYTES_PER_MIB = 1_048_576;

/** The text of a value in its unit; "-" for a value the report does not have. */
export function figureText(value: number | null | undefined, unit: FigureUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  switch (unit) {
    case 'us':
      return `${formatInteger(value)} µs`;
    case 'ratio':
      return formatPercent(value);
    case 'factor':
      return formatFactor(value);
    case 'count':
      return formatInteger(value);
    case 'eventsPerSec':
      return `${formatDecimal(value, 1)}/s`;
    case 'percent':
      return `${formatDecimal(value, 1)}%`;
    case 'bytes':
      return `${formatDecimal(value / BYTES_PER_MIB, 1)} MiB`;
    case 'decimal':
      return formatDecimal(value, 1);
    case 'ms':
      return formatDurationMs(value);
    case 'size':
      return formatSizeBytes(value);
    case 'id':
      return String(value);
    case 'mb':
      return `${formatDecimal(value, 1)} MB`;
    case 'ratioPoints':
      return `${formatDecimal(value * 100, 4).replace(/\.?0+$/, '')} pts`;
    case 'percentPoints':
      return `${formatDecimal(value, 1)} pts`;
    case 'p':
      return value < 0.001 ? '<0.001' : value.toFixed(3);
  }
}

/** The suffix `bare` leaves out: the column or the figure beside it already says the unit. */
const UNIT_SUFFIX = /( µs|\/s| MB| pts)$/;

/**
 * `<span data-field="latencyUs.p99" data-value="2047" data-unit="us">2,047 µs</span>`; `bare` leaves the unit's
 * suffix out (" µs", "/s", " MB", " pts", where the column or the figure beside it already says it).
 */
export function figure(field: string, value: number | null | undefined, unit: FigureUnit, bare = false): SafeHtml {
  const text = figureText(value, unit);
  return figureSpan(field, value, unit, bare ? text.replace(UNIT_SUFFIX, '') : text);
}

/** A change: `+614 µs`, `-0.5/s`, `0 pts`; a value that rounds to zero has no sign. */
export function signedFigure(
  field: string,
  value: number | null | undefined,
  unit: FigureUnit,
  bare = false,
): SafeHtml {
  const text = figureText(value, unit);
  const shown = bare ? text.replace(UNIT_SUFFIX, '') : text;
  return figureSpan(
    field,
    value,
    unit,
    value !== null && value !== undefined && value > 0 && /[1-9]/.test(shown) ? `+${shown}` : shown,
  );
}

function figureSpan(field: string, value: number | null | undefined, unit: FigureUnit, text: string): SafeHtml {
  return html`<span class="fig" data-field="${field}" data-value="${rawValue(value)}" data-unit="${unit}">${text}</span>`;
}

/** A table cell holding one figure, right-aligned. */
export function figureCell(field: string, value: number | null | undefined, unit: FigureUnit): SafeHtml {
  return html`<td class="num">${figure(field, value, unit)}</td>`;
}

/** The raw value as JSON writes it: "null" for a value the report does not have, and for one JSON cannot hold. */
function rawValue(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'null' : String(value);
}
