import { describe, expect, it } from 'vitest';
import {
  formatDecimal,
  formatFactor,
  formatInteger,
  formatMetricValue,
  formatPercent,
  formatRate,
  formatUs,
  shortenId,
} from '../src/render/format.js';

describe('number formatting', () => {
  it('groups thousands', () => {
    expect(formatInteger(0)).toBe('0');
    expect(formatInteger(999)).toBe('999');
    expect(formatInteger(1_234)).toBe('1,234');
    expect(formatInteger(1_234_567)).toBe('1,234,567');
    expect(formatInteger(-1_234)).toBe('-1,234');
    expect(formatInteger(912.6)).toBe('913');
    expect(formatInteger(Number.NaN)).toBe('-');
    expect(formatDecimal(1_234.56, 1)).toBe('1,234.6');
    expect(formatDecimal(-0.04, 1)).toBe('0.0');
  });

  it('shows microseconds with their unit', () => {
    expect(formatUs(1_234)).toBe('1,234 us');
    expect(formatUs(0)).toBe('0 us');
  });

  it('never rounds a shortfall to 100% or a trace to 0%', () => {
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.999)).toBe('99.9%');
    expect(formatPercent(119_950 / 120_000)).toBe('99.9583%');
    expect(formatPercent(0.99999999)).toBe('>99.9999%');
    expect(formatPercent(1e-9)).toBe('<0.0001%');
  });

  it('never prints a failing factor as a round number', () => {
    expect(formatFactor(4)).toBe('4');
    expect(formatFactor(3.5)).toBe('3.5');
    expect(formatFactor(3.99999)).toBe('3.99999');
    expect(formatFactor(119_951 / 30_000)).toBe('3.99836666667');
  });

  it('formats each metric unit', () => {
    expect(formatMetricValue('us', 2_047)).toBe('2,047 us');
    expect(formatMetricValue('ratio', 1)).toBe('100%');
    expect(formatMetricValue('factor', 4)).toBe('4');
    expect(formatMetricValue('count', 12_345)).toBe('12,345');
    expect(formatMetricValue('eventsPerSec', 999.94)).toBe('999.9/s');
    expect(formatRate(1_000)).toBe('1,000.0/s');
  });

  it('shortens long ids keeping both ends', () => {
    expect(shortenId('short-id')).toBe('short-id');
    expect(shortenId('7c9e6679-7425-40de-944b-e07fc1f90a03')).toBe('7c9e66…90a03');
    expect(shortenId('7c9e6679-7425-40de-944b-e07fc1f90a03')).toHaveLength(12);
  });
});
