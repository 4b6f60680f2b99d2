// Stream entry ids compared exactly, XINFO STREAM read, and gaps behind a cursor counted (pure logic).

import { describe, expect, it } from 'vitest';
import { checkGap, compareEntryIds, parseStreamInfo, type StreamInfo } from '../src/stream-gap.js';
import { RecentIds } from '../src/streams-transport.js';

function info(overrides: Partial<StreamInfo>): StreamInfo {
  return {
    length: 10,
    lastGeneratedId: '100-9',
    maxDeletedEntryId: '0-0',
    entriesAdded: 10,
    recordedFirstEntryId: '100-0',
    ...overrides,
  };
}

describe('compareEntryIds', () => {
  it('orders by milliseconds, then sequence, exactly beyond 2^53', () => {
    expect(compareEntryIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareEntryIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareEntryIds('10-10', '10-10')).toBe(0);
    expect(compareEntryIds('18446744073709551615-1', '18446744073709551615-0')).toBeGreaterThan(0);
    expect(compareEntryIds('0-0', '1-0')).toBeLessThan(0);
  });
});

describe('parseStreamInfo', () => {
  it('reads the flat reply and names Redis 7 when a field is missing', () => {
    const reply = [
      'length',
      2,
      'last-generated-id',
      '5-1',
      'max-deleted-entry-id',
      '0-0',
      'entries-added',
      2,
      'recorded-first-entry-id',
      '5-0',
      'groups',
      0,
    ];
    expect(parseStreamInfo(reply)).toEqual({
      length: 2,
      lastGeneratedId: '5-1',
      maxDeletedEntryId: '0-0',
      entriesAdded: 2,
      recordedFirstEntryId: '5-0',
    });
    expect(() => parseStreamInfo(['length', 2, 'last-generated-id', '5-1'])).toThrow(/Redis >= 7/);
  });
});

describe('checkGap', () => {
  it('no gap when nothing after the cursor was deleted; the first ordinal follows the cursor', () => {
    const result = checkGap({ id: '100-4', ordinal: 5 }, '100-5', info({ maxDeletedEntryId: '0-0' }));
    expect(result).toEqual({ gap: undefined, firstOrdinal: 6 });
  });

  it('entries trimmed after the cursor: the range between cursor and first read, counted from entries-added', () => {
    // 10 entries ever added, 4 left (ordinals 7..10): the cursor had ordinal 3, so ordinals 4, 5, 6 are lost.
    const stream = info({ length: 4, entriesAdded: 10, maxDeletedEntryId: '100-5', recordedFirstEntryId: '100-6' });
    const result = checkGap({ id: '100-2', ordinal: 3 }, '100-6', stream);
    expect(result).toEqual({
      gap: { afterId: '100-2', beforeId: '100-6', count: 3, reason: 'trimmed' },
      firstOrdinal: 7,
    });
  });

  it('Redis 7.0 trims without moving max-deleted-entry-id: the ordinals alone find and size the gap', () => {
    const stream = info({ length: 4, entriesAdded: 10, maxDeletedEntryId: '0-0', recordedFirstEntryId: '100-6' });
    expect(checkGap({ id: '100-2', ordinal: 3 }, '100-6', stream).gap).toEqual({
      afterId: '100-2',
      beforeId: '100-6',
      count: 3,
      reason: 'trimmed',
    });
    // Trimmed exactly up to the cursor: nothing lost.
    expect(checkGap({ id: '100-5', ordinal: 6 }, '100-6', stream)).toEqual({ gap: undefined, firstOrdinal: 7 });
  });

  it('every entry after the cursor gone: the gap has no end, sized by entries-added', () => {
    const stream = info({ length: 0, entriesAdded: 10, recordedFirstEntryId: '0-0', lastGeneratedId: '100-9' });
    expect(checkGap({ id: '100-2', ordinal: 3 }, undefined, stream).gap).toEqual({
      afterId: '100-2',
      beforeId: null,
      count: 7,
      reason: 'trimmed',
    });
  });

  it('a gap of unknown size when the cursor has no ordinal', () => {
    const stream = info({ length: 4, maxDeletedEntryId: '100-5', recordedFirstEntryId: '100-6' });
    expect(checkGap({ id: '100-2', ordinal: undefined }, '100-6', stream).gap).toEqual({
      afterId: '100-2',
      beforeId: '100-6',
      count: null,
      reason: 'trimmed',
    });
  });

  it('deletions at or before the cursor are no gap', () => {
    const stream = info({ length: 4, maxDeletedEntryId: '100-5', recordedFirstEntryId: '100-6' });
    expect(checkGap({ id: '100-5', ordinal: 6 }, '100-6', stream)).toEqual({ gap: undefined, firstOrdinal: 7 });
  });

  it('a stream gone, or younger than the cursor, is a reset of unknown size; a new namespace is not', () => {
    expect(checkGap({ id: '100-5', ordinal: 6 }, undefined, null).gap).toEqual({
      afterId: '100-5',
      beforeId: null,
      count: null,
      reason: 'reset',
    });
    expect(checkGap({ id: '0-0', ordinal: 0 }, undefined, null).gap).toBeUndefined();
    const younger = info({ length: 2, entriesAdded: 2, recordedFirstEntryId: '200-0', lastGeneratedId: '200-1' });
    expect(checkGap({ id: '100-5', ordinal: 6 }, '200-0', younger)).toEqual({
      gap: { afterId: '100-5', beforeId: '200-0', count: null, reason: 'reset' },
      firstOrdinal: 1,
    });
  });
});

describe('RecentIds', () => {
  it('remembers at most its capacity, the oldest forgotten first', () => {
    const recent = new RecentIds(3);
    expect(['a', 'b', 'c'].map((id) => recent.add(id))).toEqual([true, true, true]);
    expect(recent.add('b')).toBe(false);
    expect(recent.add('d')).toBe(true);
    // 'a' was the oldest: forgotten, so it counts as new again; 'c' is still remembered.
    expect(recent.add('a')).toBe(true);
    expect(recent.add('c')).toBe(false);
  });
});
