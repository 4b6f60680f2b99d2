import { describe, expect, it } from 'vitest';
import { OpenLoopPacer } from '../src/pacer.js';

/** A pacer on a fake clock: `advance` moves time and runs the ticks scheduled until then. */
function harness(rate: number, t0Us: number, endUs: number, maxBatch?: number) {
  let nowUs = 0;
  const emitted: Array<{ index: number; intendedUs: number; atUs: number }> = [];
  const timers: Array<{ atUs: number; tick: () => void }> = [];
  const delays: number[] = [];
  const pacer = new OpenLoopPacer({
    rateEventsPerSec: rate,
    t0Us,
    endUs,
    maxBatch,
    now: () => nowUs,
    onDue: (index, intendedUs) => emitted.push({ index, intendedUs, atUs: nowUs }),
    schedule: (tick, delayMs) => {
      delays.push(delayMs);
      timers.push({ atUs: nowUs + Math.max(delayMs, 0) * 1000, tick });
    },
  });
  const advance = (toUs: number): void => {
    for (;;) {
      timers.sort((a, b) => a.atUs - b.atUs);
      const next = timers[0];
      if (!next || next.atUs > toUs) break;
      timers.shift();
      nowUs = Math.max(nowUs, next.atUs);
      next.tick();
    }
    nowUs = toUs;
  };
  return { pacer, emitted, delays, advance, setNow: (us: number) => (nowUs = us) };
}

describe('OpenLoopPacer', () => {
  it('emits event i at t0 + i/rate, never before its intended time', () => {
    const h = harness(1000, 10_000, 20_000);
    h.pacer.start();
    h.advance(30_000);
    expect(h.emitted.map((e) => e.intendedUs)).toEqual(Array.from({ length: 10 }, (_, i) => 10_000 + i * 1000));
    for (const e of h.emitted) expect(e.atUs).toBeGreaterThanOrEqual(e.intendedUs);
  });

  it('sleeps until the next due event instead of polling at low rates', () => {
    const h = harness(10, 0, 1_000_000);
    h.pacer.start();
    h.advance(1_000_000);
    expect(h.emitted).toHaveLength(10);
    // One timer per event (about 100 ms each), not one per millisecond.
    expect(h.delays.length).toBeLessThanOrEqual(12);
    expect(Math.min(...h.delays.slice(0, -1))).toBeGreaterThanOrEqual(99);
  });

  it('keeps the schedule after a stall: the late events go out at once, stamped with their intended times', () => {
    const h = harness(1000, 0, 100_000);
    h.pacer.start();
    h.advance(10_000);
    const before = h.emitted.length;
    // The event loop is blocked for 50 ms: no tick runs, then time jumps.
    h.setNow(60_000);
    h.advance(60_000);
    const caughtUp = h.emitted.slice(before);
    expect(caughtUp.length).toBeGreaterThanOrEqual(50);
    expect(caughtUp[0]!.intendedUs).toBe(before * 1000);
    expect(caughtUp.every((e) => e.atUs === 60_000 || e.atUs >= e.intendedUs)).toBe(true);
  });

  it('yields between batches at high rates', () => {
    const h = harness(1_000_000, 0, 10_000, 100);
    h.pacer.start();
    h.setNow(5_000);
    h.advance(5_000);
    expect(h.delays.filter((d) => d === 0).length).toBeGreaterThanOrEqual(49);
    expect(h.emitted.length).toBeGreaterThanOrEqual(5000);
  });

  it('stops at endUs and resolves done; stop() ends early', async () => {
    const h = harness(1000, 0, 5_000);
    h.pacer.start();
    h.advance(100_000);
    expect(h.emitted).toHaveLength(5);
    await h.pacer.done;
    const early = harness(1000, 0, 1_000_000);
    early.pacer.start();
    early.advance(3_000);
    early.pacer.stop();
    early.advance(100_000);
    expect(early.emitted).toHaveLength(4);
    await early.pacer.done;
  });

  it('rejects a non-positive rate', () => {
    expect(() => new OpenLoopPacer({ rateEventsPerSec: 0, t0Us: 0, endUs: 1, onDue: () => undefined })).toThrow(
      /rateEventsPerSec/,
    );
  });
});
