// Number formatting for the human report: thousands separators, microseconds, percents, rates. Locale-free.

import type { MetricUnit } from '../model/metric-unit.js';

const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g;

/** 1234567 -> "1,234,567"; rounds to the nearest integer; "-" for NaN or infinities. */
export function formatInteger(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return `${sign}${String(Math.abs(rounded)).replace(THOUSANDS, ',')}`;
}

/** 1234.5678 with 1 digit -> "1,234.6". */
export function formatDecimal(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '-';
  const [whole = '', fraction] = Math.abs(value).toFixed(digits).split('.');
  const sign = value < 0 && Number(value.toFixed(digits)) !== 0 ? '-' : '';
  const grouped = whole.replace(THOUSANDS, ',');
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

/** Microseconds with their unit: 1234 -> "1,234 us". */
export function formatUs(valueUs: number): string {
  return Number.isFinite(valueUs) ? `${formatInteger(valueUs)} us` : '-';
}

/**
 * A 0..1 ratio as a percent with up to four decimals and no trailing zeros: 1 -> "100%", 0.999 -> "99.9%".
 * Never rounds a shortfall up to 100% (0.9999999 -> ">99.9999%") nor a non-zero value down to 0%.
 */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-';
  const text = trimZeros((ratio * 100).toFixed(4));
  if (text === '100' && ratio < 1) return '>99.9999%';
  if (text === '0' && ratio > 0) return '<0.0001%';
  return `${text}%`;
}

/**
 * A plain factor: four decimals when that is exact (4 -> "4", 3.5 -> "3.5"), otherwise twelve significant
 * digits, so a failing 3.99999 never prints as "4".
 */
export function formatFactor(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const short = trimZeros(value.toFixed(4));
  return Number(short) === value ? short : trimZeros(value.toPrecision(12));
}

/** Events per second with one decimal: 999.84 -> "999.8/s". */
export function formatRate(eventsPerSec: number): string {
  return Number.isFinite(eventsPerSec) ? `${formatDecimal(eventsPerSec, 1)}/s` : '-';
}

/** A value in a threshold metric's unit, as the thresholds section shows it. */
export function formatMetricValue(unit: MetricUnit, value: number): string {
  switch (unit) {
    case 'us':
      return formatUs(value);
    case 'ratio':
      return formatPercent(value);
    case 'factor':
      return formatFactor(value);
    case 'count':
      return formatInteger(value);
    case 'eventsPerSec':
      return formatRate(value);
  }
}

/**
 * Long ids keep their start and their end around an ellipsis, so ids sharing a prefix stay distinguishable:
 * "7c9e6679-7425-40de-944b-e07fc1f90a03" -> "7c9e66…90a03" (12 characters).
 */
export function shortenId(id: string, maxChars = 12): string {
  if (id.length <= maxChars) return id;
  const head = Math.ceil((maxChars - 1) / 2);
  const tail = Math.max(0, maxChars - 1 - head);
  return `${id.slice(0, head)}…${tail === 0 ? '' : id.slice(-tail)}`;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') && !fixed.includes('e') ? fixed.replace(/\.?0+$/, '') : fixed;
}
