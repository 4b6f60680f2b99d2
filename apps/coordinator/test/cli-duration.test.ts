import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs, tryParseDurationMs } from '../src/config/duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['0.25m', 15_000],
    ['61.001s', 61_001],
    ['0s', 0],
    ['0ms', 0],
    [' 30s ', 30_000],
  ])('parses %j as %d ms', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });

  it('rejects a bare number as ambiguous and suggests both units', () => {
    expect(() => parseDurationMs('30')).toThrow(/bare number is ambiguous.*"30s" or "30ms"/);
    expect(() => parseDurationMs('30')).toThrow(/ms, s, m or h/);
  });

  it.each(['', 's', '-1s', '1e3ms', '10us', '10S', '1.s', '.5s', '10 s', '1m30s', 'abc', '10sec'])(
    'rejects %j with the accepted forms',
    (text) => {
      expect(() => parseDurationMs(text)).toThrow(RangeError);
      expect(() => parseDurationMs(text)).toThrow(/such as 500ms, 10s, 1\.5s, 2m or 1h/);
    },
  );

  it('rejects durations that are not whole milliseconds', () => {
    const parsed = tryParseDurationMs('0.5ms');
    expect(parsed).toEqual({ ok: false, reason: 'not a whole number of milliseconds' });
    expect(() => parseDurationMs('1.0005s')).toThrow(/whole number of milliseconds/);
  });

  it('does not throw from the try variant', () => {
    expect(tryParseDurationMs('nonsense').ok).toBe(false);
    expect(tryParseDurationMs('2m')).toEqual({ ok: true, value: 120_000 });
  });
});

describe('formatDurationMs', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [1_234, '1.234s'],
    [30_000, '30s'],
    [90_000, '1.5m'],
    [61_001, '61.001s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
    [5_400_000, '1.5h'],
  ])('formats %d ms as %j', (ms, expected) => {
    expect(formatDurationMs(ms)).toBe(expected);
  });

  it('round-trips through parseDurationMs', () => {
    for (const ms of [0, 1, 7, 999, 1_001, 59_999, 60_000, 61_001, 86_400_000, 3_599_999, 123_456_789]) {
      expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
    }
  });
});
