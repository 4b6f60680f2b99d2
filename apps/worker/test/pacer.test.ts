import { describe, expect, it } from 'vitest';
import { OpenLoopPacer, TIMER_MARGIN_US, defaultSpinWindowUs, timerDelayMs } from '../src/pacer.js';

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

/** One event-loop turn on the fake clock: what a poll from setImmediate costs before the next one. */
const TURN_US = 5;

/**
 * A pacer whose timers wake `overshootUs` late, on a fake clock. Every tick runs from the fake event loop, which
 * counts the I/O turns between ticks: a pacer that blocked would advance the clock inside a tick instead.
 */
function precise(rate: number, options: { spinWindowUs?: number; overshootUs?: number; endUs?: number } = {}) {
  let nowUs = 0;
  const overshootUs = options.overshootUs ?? 100;
  const emitted: Array<{ intendedUs: number; atUs: number }> = [];
  const timers: Array<{ atUs: number; tick: () => void }> = [];
  let wakeUps = 0;
  let polls = 0;
  let longestTickUs = 0;
  const pacer = new OpenLoopPacer({
    rateEventsPerSec: rate,
    t0Us: 0,
    endUs: options.endUs ?? 1_000_000,
    spinWindowUs: options.spinWindowUs,
    now: () => nowUs,
    onDue: (_index, intendedUs) => emitted.push({ intendedUs, atUs: nowUs }),
    schedule: (tick, delayMs) => {
      if (delayMs <= 0) polls += 1;
      timers.push({ atUs: nowUs + (delayMs > 0 ? delayMs * 1000 + overshootUs : TURN_US), tick });
    },
  });
  const run = (untilUs: number): void => {
    for (;;) {
      timers.sort((a, b) => a.atUs - b.atUs);
      const next = timers[0];
      if (!next || next.atUs > untilUs) break;
      timers.shift();
      nowUs = Math.max(nowUs, next.atUs);
      wakeUps += 1;
      const before = nowUs;
      next.tick();
      longestTickUs = Math.max(longestTickUs, nowUs - before);
    }
  };
  const lagsUs = () => emitted.map((e) => e.atUs - e.intendedUs);
  return {
    pacer,
    emitted,
    run,
    lagsUs,
    wakeUps: () => wakeUps,
    polls: () => polls,
    longestTickUs: () => longestTickUs,
  };
}

describe('OpenLoopPacer precision', () => {
  it('polls the last sub-millisecond once per event-loop turn: on time within a turn, never blocking', () => {
    const h = precise(200, { spinWindowUs: 1000, overshootUs: 150 });
    h.pacer.start();
    h.run(1_000_000);
    expect(h.emitted).toHaveLength(200);
    expect(Math.min(...h.lagsUs())).toBeGreaterThanOrEqual(0);
    expect(Math.max(...h.lagsUs())).toBeLessThan(TURN_US);
    // Never a synchronous wait: no tick moves the clock.
    expect(h.longestTickUs()).toBe(0);
    // Each event polls at most its window plus the margin, one turn at a time.
    expect(h.polls()).toBeGreaterThan(200);
    expect(h.polls()).toBeLessThanOrEqual(200 * Math.ceil((1000 + TIMER_MARGIN_US) / TURN_US));
  });

  it('without a spin window sleeps past the due time instead: late, never early, one wake-up per event, no polls', () => {
    const h = precise(200, { spinWindowUs: 0, overshootUs: 150 });
    h.pacer.start();
    h.run(1_000_000);
    expect(h.emitted).toHaveLength(200);
    expect(h.polls()).toBe(0);
    expect(Math.min(...h.lagsUs())).toBeGreaterThanOrEqual(0);
    expect(Math.max(...h.lagsUs())).toBeLessThanOrEqual(1150);
    expect(h.wakeUps()).toBeLessThanOrEqual(201);
  });

  it('polls only remainders within its window: a narrow window leaves the rest to timers', () => {
    const wide = precise(200, { spinWindowUs: 1000, overshootUs: 150 });
    const narrow = precise(200, { spinWindowUs: 100, overshootUs: 150 });
    for (const h of [wide, narrow]) {
      h.pacer.start();
      h.run(1_000_000);
      expect(h.emitted).toHaveLength(200);
      expect(Math.min(...h.lagsUs())).toBeGreaterThanOrEqual(0);
    }
    expect(narrow.polls()).toBeLessThan(wide.polls() / 2);
    expect(Math.max(...narrow.lagsUs())).toBeGreaterThan(Math.max(...wide.lagsUs()));
  });

  it('picks the spin window from the rate: a full millisecond at low rates, none at 1000/s per worker and above', () => {
    expect(defaultSpinWindowUs(200)).toBe(1000);
    expect(defaultSpinWindowUs(1000)).toBe(0);
    expect(defaultSpinWindowUs(40_000)).toBe(0);
    const at500 = defaultSpinWindowUs(500);
    expect(at500).toBeGreaterThan(0);
    expect(at500).toBeLessThan(1000);
    // Polling stays within the budget: a window of w polls w^2/2000 us per event on average.
    expect((at500 * at500) / 2000).toBeLessThanOrEqual(0.1 * 2000);
  });

  it('wakes just before the due time when the rest fits the window, else at or just after it', () => {
    expect(timerDelayMs(5000, 1000)).toBe(4);
    expect(timerDelayMs(5000, 0)).toBe(5);
    expect(timerDelayMs(4900, 300)).toBe(5);
    expect(timerDelayMs(3333, 300)).toBe(3);
    expect(timerDelayMs(400, 0)).toBe(1);
  });

  it('rejects a negative window', () => {
    const base = { rateEventsPerSec: 1, t0Us: 0, endUs: 1, onDue: () => undefined };
    expect(() => new OpenLoopPacer({ ...base, spinWindowUs: -1 })).toThrow(/spinWindowUs/);
  });
});
