// How a comparison's numbers print, in the terminal and in Markdown alike: values in their unit, signed changes,
// p-values and shift intervals.
import { formatDecimal, formatInteger, formatPercent, formatRate, formatUs } from '../render/format.js';
import type { CompareUnit, Judgement, MetricComparison } from './comparison.js';

export function formatValue(unit: CompareUnit, value: number | null): string {
  if (value === null) return '-';
  switch (unit) {
    case 'us':
      return formatUs(value);
    case 'eventsPerSec':
      return formatRate(value);
    case 'ratio':
      return formatPercent(value);
    case 'count':
      return formatInteger(value);
    case 'percent':
      return `${formatDecimal(value, 1)}%`;
    case 'mb':
      return `${formatDecimal(value, 1)} MB`;
  }
}

/** "0.0100" -> "0.01", "0.0000" -> "0". */
const trimZeros = (fixed: string): string => (fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed);

const signed = (text: string, value: number): string => (value > 0 ? `+${text}` : text);

/** A change in the metric's unit, signed: `+1,234 us`, `-0.5/s`, `-0.01 pts` (a ratio or CPU, in points). */
export function formatChange(unit: CompareUnit, change: number | null): string {
  if (change === null) return '-';
  switch (unit) {
    case 'ratio':
      return `${signed(trimZeros(formatDecimal(change * 100, 4)), change)} pts`;
    case 'percent':
      return `${signed(formatDecimal(change, 1), change)} pts`;
    default:
      return signed(formatValue(unit, change), change);
  }
}

/** `+12.3%`; `from 0` for a rise from zero; `-` when either side has no value. */
export function formatChangePercent(row: Pick<MetricComparison, 'base' | 'change' | 'changePercent'>): string {
  if (row.changePercent !== null) return `${signed(formatDecimal(row.changePercent, 1), row.changePercent)}%`;
  if (row.base === 0 && row.change !== null) return row.change === 0 ? '0%' : 'from 0';
  return '-';
}

/** `0.029`, `<0.001`, `exact` for a tally, `-` when not judged. */
export function formatP(judgement: Judgement): string {
  if (judgement.kind === 'exact') return 'exact';
  if (judgement.kind === 'not-judged') return '-';
  return judgement.pValue < 0.001 ? '<0.001' : judgement.pValue.toFixed(3);
}

/** A signed change without its unit, as interval bounds print. */
function bareChange(unit: CompareUnit, change: number): string {
  switch (unit) {
    case 'us':
    case 'count':
      return signed(formatInteger(change), Math.round(change));
    case 'ratio':
      return signed(trimZeros(formatDecimal(change * 100, 4)), change);
    default:
      return signed(formatDecimal(change, 1), change);
  }
}

/** The samples' shift with its 95% interval: `+385,000 us [+380,100, +392,000]`; `-` without a test. */
export function formatShift(unit: CompareUnit, judgement: Judgement): string {
  if (judgement.kind !== 'tested') return '-';
  const { estimate, low, high } = judgement.shift;
  const interval = low === null || high === null ? '' : ` [${bareChange(unit, low)}, ${bareChange(unit, high)}]`;
  return `${formatChange(unit, estimate)}${interval}`;
}
