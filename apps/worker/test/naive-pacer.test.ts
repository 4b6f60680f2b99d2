import { describe, expect, it } from 'vitest';
import { createPacer } from '../src/create-pacer.js';
import { NaivePacer } from '../src/naive-pacer.js';
import { OpenLoopPacer } from '../src/pacer.js';

/** A naive pacer on a fake clock: `tickAt` runs the 1 ms interval callback at a given time. */
function harness(rate: number, t0Us: number, endUs: number) {
  let nowUs = 0;
  let tick: (() => void) | undefined;
  const periods: number[] = [];
  let cancelled = 0;
  const emitted: Array<{ index: number; intendedUs: number; atUs: number }> = [];
  const pacer = new NaivePacer({
    rateEventsPerSec: rate,
    t0Us,
    endUs,
    now: () => nowUs,
    onDue: (index, intendedUs) => emitted.push({ index, intendedUs, atUs: nowUs }),
    every: (callback, periodMs) => {
      tick = callback;
      periods.push(periodMs);
      return () => (cancelled += 1);
    },
  });
  const tickAt = (us: number): void => {
    nowUs = us;
    tick?.();
  };
  return { pacer, emitted, periods, tickAt, cancelled: () => cancelled };
}

describe('NaivePacer (the raw probe baseline)', () => {
  it('wakes on a fixed 1 ms interval and emits every event due at each tick, stamped with its intended time', () => {
    const h = harness(200, 10_000, 1_000_000);
    h.pacer.start();
    expect(h.periods).toEqual([1]);
    h.tickAt(10_400);
    expect(h.emitted).toEqual([{ index: 0, intendedUs: 10_000, atUs: 10_400 }]);
    h.tickAt(11_400);
    h.tickAt(12_400);
    h.tickAt(13_400);
    h.tickAt(14_400);
    expect(h.emitted).toHaveLength(1);
    h.tickAt(15_400);
    expect(h.emitted[1]).toEqual({ index: 1, intendedUs: 15_000, atUs: 15_400 });
  });

  it('catches up a stall in one tick: late events go out at once with their intended times', () => {
    const h = harness(1000, 0, 1_000_000);
    h.pacer.start();
    h.tickAt(2_500);
    expect(h.emitted.map((e) => e.intendedUs)).toEqual([0, 1000, 2000]);
    h.tickAt(60_000);
    expect(h.emitted).toHaveLength(61);
    expect(h.emitted.every((e) => e.atUs >= e.intendedUs)).toBe(true);
    expect(h.pacer.emitted).toBe(61);
  });

  it('stops at endUs (cancelling its interval) and resolves done; stop() ends early', async () => {
    const h = harness(1000, 0, 5_000);
    h.pacer.start();
    h.tickAt(100_000);
    expect(h.emitted).toHaveLength(5);
    expect(h.cancelled()).toBe(1);
    await h.pacer.done;
    const early = harness(1000, 0, 1_000_000);
    early.pacer.start();
    early.tickAt(3_000);
    early.pacer.stop();
    early.tickAt(100_000);
    expect(early.emitted).toHaveLength(4);
    await early.pacer.done;
  });

  it('rejects a non-positive rate', () => {
    expect(() => new NaivePacer({ rateEventsPerSec: -1, t0Us: 0, endUs: 1, onDue: () => undefined })).toThrow(
      /rateEventsPerSec/,
    );
  });

  it('is what createPacer builds for the raw probe; the bridge worker gets the open-loop pacer', () => {
    const options = { rateEventsPerSec: 1, t0Us: 0, endUs: 1, onDue: () => undefined };
    expect(createPacer('naive-interval', options)).toBeInstanceOf(NaivePacer);
    expect(createPacer('open-loop', options)).toBeInstanceOf(OpenLoopPacer);
  });
});
