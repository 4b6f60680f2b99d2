// Unit tests for DeliveryLedger: per-sender accounting, totals, JSON round-trip and validation.
import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../src/index.js';

describe('DeliveryLedger', () => {
  it('keeps one sequence ledger per sender', () => {
    const ledger = new DeliveryLedger();
    expect(ledger.record('w1', 0)).toBe('new');
    expect(ledger.record('w2', 0)).toBe('new');
    expect(ledger.record('w1', 1)).toBe('new');
    expect(ledger.record('w1', 1)).toBe('duplicate');
    expect(ledger.record('w2', 3)).toBe('new');
    expect(ledger.record('w2', 1)).toBe('out-of-order');
    expect(ledger.senders()).toEqual(['w1', 'w2']);
    expect(ledger.get('w1')?.received).toBe(2);
    expect(ledger.get('w2')?.toJSON().intervals).toEqual([
      [0, 1],
      [3, 3],
    ]);
    expect(ledger.get('nobody')).toBeUndefined();
    expect(ledger.gapCount()).toBe(1);
    expect(ledger.totals()).toEqual({ senders: 2, received: 5, duplicates: 1, outOfOrder: 1, gaps: 1 });
  });

  it('reports everything missing for a sender it never heard from', () => {
    const ledger = new DeliveryLedger();
    ledger.record('w1', 0);
    expect(ledger.missing('w1', 0, 2)).toEqual({ count: 2, ranges: [[1, 2]] });
    expect(ledger.missing('w9', 0, 2)).toEqual({ count: 3, ranges: [[0, 2]] });
    expect(ledger.senders()).toEqual(['w1']);
  });

  it('rejects an empty sender id', () => {
    expect(() => new DeliveryLedger().record('', 0)).toThrow(/non-empty string/);
  });

  it('round-trips through JSON, including awkward sender ids', () => {
    const ledger = new DeliveryLedger();
    for (const seq of [0, 1, 2, 5, 4, 4]) ledger.record('worker-1', seq);
    ledger.record('__proto__', 7);
    ledger.record('constructor', 0);
    const json = JSON.parse(JSON.stringify(ledger.toJSON())) as unknown;
    const copy = DeliveryLedger.fromJSON(json);
    expect(copy.toJSON()).toEqual(ledger.toJSON());
    expect(copy.senders().sort()).toEqual(['__proto__', 'constructor', 'worker-1']);
    expect(copy.get('worker-1')?.toJSON()).toEqual({
      intervals: [
        [0, 2],
        [4, 5],
      ],
      received: 5,
      duplicates: 1,
      outOfOrder: 1,
      maxSeq: 5,
    });
    expect(copy.get('__proto__')?.maxSeq).toBe(7);
    expect(DeliveryLedger.fromJSON({}).senders()).toEqual([]);
  });

  it('rejects malformed snapshots, naming the sender and keeping the cause', () => {
    expect(() => DeliveryLedger.fromJSON(null)).toThrow(/expected an object keyed by sender id/);
    expect(() => DeliveryLedger.fromJSON([])).toThrow(/got an array/);
    let caught: unknown;
    try {
      DeliveryLedger.fromJSON({
        ok: { intervals: [], received: 0, duplicates: 0, outOfOrder: 0, maxSeq: -1 },
        bad: { intervals: [[0, 1]], received: 2, duplicates: 0, outOfOrder: 0, maxSeq: -3 },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toMatch(/sender "bad".*"maxSeq" is -3/);
    expect((caught as Error).cause).toBeInstanceOf(TypeError);
    expect(() =>
      DeliveryLedger.fromJSON({ '': { intervals: [], received: 0, duplicates: 0, outOfOrder: 0, maxSeq: -1 } }),
    ).toThrow(/non-empty string/);
  });
});

describe('DeliveryLedger.forSender', () => {
  it("returns the sender's own ledger, made on first use, and records through it count in the totals", () => {
    const ledger = new DeliveryLedger();
    const a = ledger.forSender('a');
    expect(ledger.forSender('a')).toBe(a);
    expect(a.maxSeq).toBe(-1);
    a.record(0);
    a.record(2);
    expect(ledger.record('a', 1)).toBe('out-of-order');
    expect(ledger.totals()).toMatchObject({ senders: 1, received: 3 });
    expect(() => ledger.forSender('')).toThrow();
  });
});
