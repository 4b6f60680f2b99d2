import { describe, expect, it } from 'vitest';
import { formatSizeBytes, parseSizeBytes, tryParseSizeBytes } from '../src/config/size.js';

describe('parseSizeBytes', () => {
  it.each([
    ['0', 0],
    ['256', 256],
    ['256b', 256],
    ['1kb', 1_000],
    ['1kib', 1_024],
    ['1KiB', 1_024],
    ['1.5kib', 1_536],
    ['64KIB', 65_536],
    ['1mb', 1_000_000],
    ['1mib', 1_048_576],
    [' 512 ', 512],
  ])('parses %j as %d bytes', (text, expected) => {
    expect(parseSizeBytes(text)).toBe(expected);
  });

  it.each(['', '-1', '1e3', '1k', '1gb', '1 kb', 'abc', '0.5', '0.5b', '1.0001kb'])(
    'rejects %j naming the accepted forms',
    (text) => {
      expect(() => parseSizeBytes(text)).toThrow(RangeError);
      expect(() => parseSizeBytes(text)).toThrow(/kib \(1024\)/);
    },
  );

  it('explains a fractional byte count', () => {
    expect(tryParseSizeBytes('0.5b')).toEqual({ ok: false, reason: 'not a whole number of bytes' });
  });
});

describe('formatSizeBytes', () => {
  it.each([
    [0, '0 B'],
    [256, '256 B'],
    [1_000, '1000 B'],
    [1_024, '1 KiB'],
    [1_536, '1.5 KiB'],
    [1_048_576, '1 MiB'],
  ])('formats %d as %j', (bytes, expected) => {
    expect(formatSizeBytes(bytes)).toBe(expected);
  });
});
