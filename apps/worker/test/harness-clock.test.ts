// The worker's harness clock: its own monotonic clock corrected by its row of the clock table, and what a pacer on
// it does when a new table steps it mid-run (the schedule stays on the coordinator's clock).
import { describe, expect, it } from 'vitest';
import { HarnessClock } from '../src/harness-clock.js';
import { OpenLoopPacer } from '../src/pacer.js';

const table = (index: number, ...offsetsUs: number[]) => ({
  type: 'clock' as const,
  index,
  offsets: offsetsUs.map((offsetUs) => ({ offsetUs, uncertaintyUs: 60 })),
});

describe('HarnessClock', () => {
  it("reads the coordinator's clock once its row of the table is applied; raw stays the worker's own", () => {
    let coordinatorUs = 1_000_000;
    // This worker's monotonic clock runs 50 s ahead of the coordinator's (another host, or time namespace).
    const clock = new HarnessClock(() => coordinatorUs + 50_000_000);
    expect(clock.now()).toBe(51_000_000);
    clock.apply(table(1, 0, 50_000_000, -30_000_000));
    expect(clock.now()).toBe(1_000_000);
    expect(clock.raw()).toBe(51_000_000);
    coordinatorUs += 2_500;
    expect(clock.now()).toBe(1_002_500);
    expect(clock.offsetUs).toBe(50_000_000);
    expect(clock.uncertaintyUs).toBe(60);
  });

  it('refuses a table without a row for this worker, naming the fix', () => {
    const clock = new HarnessClock(() => 0);
    expect(() => clock.apply(table(3, 0, 0))).toThrow(/none for worker 3.*pnpm build/);
  });
});

/** A pacer on a harness clock whose raw clock the test drives, with timers on the raw clock. */
function steppedPacer(rate: number, t0Us: number, endUs: number) {
  let rawUs = 0;
  const clock = new HarnessClock(() => rawUs);
  const emitted: Array<{ index: number; intendedUs: number; atUs: number }> = [];
  const timers: Array<{ atRawUs: number; tick: () => void }> = [];
  const pacer = new OpenLoopPacer({
    rateEventsPerSec: rate,
    t0Us,
    endUs,
    now: clock.now,
    onDue: (index, intendedUs) => emitted.push({ index, intendedUs, atUs: clock.now() }),
    schedule: (tick, delayMs) => timers.push({ atRawUs: rawUs + Math.max(delayMs, 0) * 1000, tick }),
  });
  const advanceRaw = (toUs: number): void => {
    for (;;) {
      timers.sort((a, b) => a.atRawUs - b.atRawUs);
      const next = timers[0];
      if (!next || next.atRawUs > toUs) break;
      timers.shift();
      rawUs = Math.max(rawUs, next.atRawUs);
      next.tick();
    }
    rawUs = toUs;
  };
  return { pacer, clock, emitted, advanceRaw };
}

describe('a pacer on the harness clock, stepped by a new clock table mid-run', () => {
  it('a step forward sends the events it skipped at once; a step back waits; the schedule never changes', () => {
    const h = steppedPacer(1000, 0, 100_000);
    h.pacer.start();
    h.advanceRaw(19_500);
    expect(h.emitted).toHaveLength(20);
    // A re-estimate finds the worker's clock 5 ms behind what was used: its harness clock jumps forward 5 ms.
    h.clock.apply(table(0, -5_000));
    h.advanceRaw(20_000);
    // The events due in the skipped stretch (20..25 ms) go out at once when the pacer next wakes, late by up to 5 ms.
    expect(h.emitted.filter((event) => event.atUs === 25_000).map((event) => event.intendedUs)).toEqual([
      20_000, 21_000, 22_000, 23_000, 24_000, 25_000,
    ]);
    // Then a step back of 8 ms: nothing is due until the harness clock has caught up.
    h.clock.apply(table(0, 3_000));
    const before = h.emitted.length;
    h.advanceRaw(28_500);
    expect(h.clock.now()).toBe(25_500);
    expect(h.emitted).toHaveLength(before);
    h.advanceRaw(200_000);
    // Every event of the schedule exactly once, at its intended time on the coordinator's clock, never early.
    expect(h.emitted.map((event) => event.intendedUs)).toEqual(Array.from({ length: 100 }, (_, i) => i * 1000));
    for (const event of h.emitted) expect(event.atUs).toBeGreaterThanOrEqual(event.intendedUs);
  });
});
