// Unit tests for SequenceLedger: intervals, counters, missing ranges, JSON round-trip and validation.
import { describe, expect, it } from 'vitest';
import { SequenceLedger } from '../src/index.js';

function ledgerOf(seqs: readonly number[]): SequenceLedger {
  const ledger = new SequenceLedger();
  for (const seq of seqs) ledger.record(seq);
  return ledger;
}

describe('SequenceLedger', () => {
  it('starts empty', () => {
    const ledger = new SequenceLedger();
    expect(ledger.toJSON()).toEqual({ intervals: [], received: 0, duplicates: 0, outOfOrder: 0, maxSeq: -1 });
    expect(ledger.gapCount()).toBe(0);
    expect(ledger.missing(0, 4)).toEqual({ count: 5, ranges: [[0, 4]] });
    expect(ledger.receivedIn(0, 4)).toBe(0);
  });

  it('keeps one interval for an in-order stream of 1,000,000', () => {
    const ledger = new SequenceLedger();
    for (let seq = 0; seq < 1_000_000; seq++) {
      if (ledger.record(seq) !== 'new') throw new Error(`seq ${seq} was not new`);
    }
    expect(ledger.intervalCount).toBe(1);
    expect(ledger.toJSON()).toEqual({
      intervals: [[0, 999_999]],
      received: 1_000_000,
      duplicates: 0,
      outOfOrder: 0,
      maxSeq: 999_999,
    });
    expect(ledger.gapCount()).toBe(0);
    expect(ledger.missing(0, 999_999)).toEqual({ count: 0, ranges: [] });
  });

  it('turns gaps into exact ranges', () => {
    const ledger = ledgerOf([0, 1, 2, 5, 6, 10]);
    expect(ledger.toJSON().intervals).toEqual([
      [0, 2],
      [5, 6],
      [10, 10],
    ]);
    expect(ledger.gapCount()).toBe(2 + 3);
    expect(ledger.missing(0, 10)).toEqual({
      count: 5,
      ranges: [
        [3, 4],
        [7, 9],
      ],
    });
    expect(ledger.maxSeq).toBe(10);
    expect(ledger.received).toBe(6);
  });

  it('classifies arrivals and counts duplicates, including duplicates of out-of-order arrivals', () => {
    const ledger = new SequenceLedger();
    expect(ledger.record(0)).toBe('new');
    expect(ledger.record(2)).toBe('new');
    expect(ledger.record(2)).toBe('duplicate');
    expect(ledger.record(1)).toBe('out-of-order');
    expect(ledger.record(1)).toBe('duplicate');
    expect(ledger.record(0)).toBe('duplicate');
    expect(ledger.record(7)).toBe('new');
    expect(ledger.record(5)).toBe('out-of-order');
    expect(ledger.record(5)).toBe('duplicate');
    expect(ledger.toJSON()).toEqual({
      intervals: [
        [0, 2],
        [5, 5],
        [7, 7],
      ],
      received: 5,
      duplicates: 4,
      outOfOrder: 2,
      maxSeq: 7,
    });
  });

  it('fills gaps on reorder and merges neighbouring intervals', () => {
    const ledger = ledgerOf([0, 1, 4, 5, 8, 9]);
    expect(ledger.intervalCount).toBe(3);
    expect(ledger.record(2)).toBe('out-of-order'); // joins [0,1]
    expect(ledger.toJSON().intervals).toEqual([
      [0, 2],
      [4, 5],
      [8, 9],
    ]);
    expect(ledger.record(7)).toBe('out-of-order'); // joins [8,9]
    expect(ledger.toJSON().intervals).toEqual([
      [0, 2],
      [4, 5],
      [7, 9],
    ]);
    expect(ledger.record(3)).toBe('out-of-order'); // bridges [0,2] and [4,5]
    expect(ledger.toJSON().intervals).toEqual([
      [0, 5],
      [7, 9],
    ]);
    expect(ledger.record(6)).toBe('out-of-order');
    expect(ledger.toJSON().intervals).toEqual([[0, 9]]);
    expect(ledger.gapCount()).toBe(0);
    expect(ledger.outOfOrder).toBe(4);
  });

  it('counts an arrival below the first received as out-of-order, in its own interval or joined', () => {
    const ledger = ledgerOf([10, 11]);
    expect(ledger.record(3)).toBe('out-of-order');
    expect(ledger.record(9)).toBe('out-of-order');
    expect(ledger.toJSON().intervals).toEqual([
      [3, 3],
      [9, 11],
    ]);
    expect(ledger.gapCount()).toBe(5);
  });

  it('reports missing head, interior and tail ranges and clips to the asked range', () => {
    const ledger = ledgerOf([3, 4, 5, 8, 9]);
    expect(ledger.missing(0, 12)).toEqual({
      count: 8,
      ranges: [
        [0, 2],
        [6, 7],
        [10, 12],
      ],
    });
    expect(ledger.missing(4, 8)).toEqual({ count: 2, ranges: [[6, 7]] });
    expect(ledger.missing(6, 6)).toEqual({ count: 1, ranges: [[6, 6]] });
    expect(ledger.missing(3, 5)).toEqual({ count: 0, ranges: [] });
    expect(ledger.missing(20, 21)).toEqual({ count: 2, ranges: [[20, 21]] });
    expect(ledger.missing(5, 4)).toEqual({ count: 0, ranges: [] });
    expect(ledger.missing(0, -1)).toEqual({ count: 0, ranges: [] });
    expect(ledger.receivedIn(0, 12)).toBe(5);
    expect(ledger.receivedIn(4, 8)).toBe(3);
    expect(ledger.receivedIn(6, 7)).toBe(0);
    expect(ledger.receivedIn(9, 3)).toBe(0);
  });

  it('matches a Set-based model on a shuffled stream with duplicates', () => {
    let x = 12345;
    const random = (n: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const ledger = new SequenceLedger();
    const seen = new Set<number>();
    let duplicates = 0;
    for (let i = 0; i < 20_000; i++) {
      const seq = random(3000);
      if (seen.has(seq)) duplicates++;
      seen.add(seq);
      ledger.record(seq);
    }
    expect(ledger.received).toBe(seen.size);
    expect(ledger.duplicates).toBe(duplicates);
    const expectedMissing = [...Array(3100).keys()].filter((seq) => !seen.has(seq));
    const { count, ranges } = ledger.missing(0, 3099);
    expect(count).toBe(expectedMissing.length);
    expect(ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, k) => from + k))).toEqual(
      expectedMissing,
    );
    expect(ledger.receivedIn(100, 2000)).toBe([...seen].filter((seq) => seq >= 100 && seq <= 2000).length);
    const max = Math.max(...seen);
    const min = Math.min(...seen);
    expect(ledger.gapCount()).toBe(max - min + 1 - seen.size);
    expect(SequenceLedger.fromJSON(JSON.parse(JSON.stringify(ledger))).toJSON()).toEqual(ledger.toJSON());
  });

  it('rejects sequence numbers that are not non-negative integers', () => {
    const ledger = new SequenceLedger();
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => ledger.record(bad), String(bad)).toThrow(RangeError);
    }
    expect(() => ledger.record('1' as unknown as number)).toThrow(RangeError);
    expect(() => ledger.missing(-1, 3)).toThrow(RangeError);
    expect(() => ledger.receivedIn(0, 1.5)).toThrow(RangeError);
    expect(ledger.received).toBe(0);
  });

  it('round-trips through JSON and keeps recording', () => {
    const ledger = ledgerOf([0, 1, 2, 2, 5, 4, 9]);
    const copy = SequenceLedger.fromJSON(JSON.parse(JSON.stringify(ledger.toJSON())));
    expect(copy.toJSON()).toEqual(ledger.toJSON());
    expect(copy.toJSON()).toEqual({
      intervals: [
        [0, 2],
        [4, 5],
        [9, 9],
      ],
      received: 6,
      duplicates: 1,
      outOfOrder: 1,
      maxSeq: 9,
    });
    expect(copy.record(3)).toBe('out-of-order');
    expect(copy.record(10)).toBe('new');
    expect(copy.toJSON().intervals).toEqual([
      [0, 5],
      [9, 10],
    ]);
    expect(SequenceLedger.fromJSON(new SequenceLedger().toJSON()).maxSeq).toBe(-1);
  });

  it('rejects malformed snapshots, naming the problem', () => {
    const good = {
      intervals: [
        [0, 2],
        [5, 6],
      ],
      received: 5,
      duplicates: 0,
      outOfOrder: 0,
      maxSeq: 6,
    };
    const cases: Array<[unknown, RegExp]> = [
      [null, /expected an object/],
      [[], /expected an object/],
      ['x', /expected an object/],
      [{ ...good, intervals: undefined }, /"intervals" must be an array/],
      [{ received: 5, duplicates: 0, outOfOrder: 0, maxSeq: 6 }, /missing field "intervals"/],
      [
        {
          ...good,
          intervals: [
            [0, 2],
            [1, 6],
          ],
          received: 9,
        },
        /intervals\[1\].*overlaps/,
      ],
      [
        {
          ...good,
          intervals: [
            [5, 6],
            [0, 2],
          ],
        },
        /intervals\[1\].*sorted/,
      ],
      [
        {
          ...good,
          intervals: [
            [0, 2],
            [3, 6],
          ],
          received: 7,
        },
        /adjacent/,
      ],
      [
        {
          ...good,
          intervals: [
            [-1, 2],
            [5, 6],
          ],
        },
        /non-negative integers/,
      ],
      [
        {
          ...good,
          intervals: [
            [0, 2.5],
            [5, 6],
          ],
        },
        /non-negative integers/,
      ],
      [
        {
          ...good,
          intervals: [
            [0, '2'],
            [5, 6],
          ],
        },
        /non-negative integers/,
      ],
      [
        {
          ...good,
          intervals: [
            [2, 0],
            [5, 6],
          ],
        },
        /from > to/,
      ],
      [
        {
          ...good,
          intervals: [
            [0, 2, 3],
            [5, 6],
          ],
        },
        /\[from, to\] pair/,
      ],
      [{ ...good, received: 4 }, /"received" is 4 but the intervals hold 5/],
      [{ ...good, duplicates: -1 }, /"duplicates" must be a non-negative integer/],
      [{ ...good, outOfOrder: 0.5 }, /"outOfOrder" must be a non-negative integer/],
      [{ ...good, maxSeq: 7 }, /"maxSeq" is 7 but the last interval ends at 6/],
      [
        { intervals: [], received: 0, duplicates: 0, outOfOrder: 0, maxSeq: 0 },
        /"maxSeq" is 0 but the last interval ends at -1/,
      ],
    ];
    expect(SequenceLedger.fromJSON(good).received).toBe(5);
    for (const [input, message] of cases) {
      expect(() => SequenceLedger.fromJSON(input), JSON.stringify(input)).toThrow(message);
      expect(() => SequenceLedger.fromJSON(input)).toThrow(/Invalid SequenceLedger snapshot/);
    }
  });
});
