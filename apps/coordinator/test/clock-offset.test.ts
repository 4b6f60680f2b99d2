// The clock estimate, the shared-or-estimated decision, the re-estimates' timing and the latency's clock error bound:
// pure logic on made-up samples and records.
import { statsSendFraction } from '@evbridge/protocol';
import { describe, expect, it } from 'vitest';
import type { WorkerClock, WorkerRecord } from '../src/model/worker-record.js';
import { clockFields, latencyClockErrorBoundUs } from '../src/report/clock-figures.js';
import { type ClockSample, estimateClockOffset, workerClock } from '../src/run/clock-offset.js';
import { quietSlotFraction, reestimateTimesUs } from '../src/run/clock-reestimate.js';

/** A ping-pong sample: sent at sentUs, answered `toWorkerUs` later on a clock `offsetUs` ahead, back `backUs` later. */
function sample(sentUs: number, toWorkerUs: number, backUs: number, offsetUs: number): ClockSample {
  return { sentUs, workerUs: sentUs + toWorkerUs + offsetUs, receivedUs: sentUs + toWorkerUs + backUs };
}

/** A tiny deterministic generator (mulberry32), so the property test replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('estimateClockOffset', () => {
  it('takes the quickest round trip: offset from its midpoint, uncertainty half of it plus 1.5 us', () => {
    const samples = [
      sample(0, 900, 100, 50_000_000), // slow and lopsided: alone it would say +400 us off
      sample(10_000, 40, 80, 50_000_000), // the quickest (120 us), lopsided by 20 us
      sample(20_000, 70, 70, 50_000_000),
    ];
    expect(estimateClockOffset(samples)).toEqual({ offsetUs: 49_999_980, uncertaintyUs: 62, rttUs: 120 });
    expect(() => estimateClockOffset([])).toThrow(RangeError);
  });

  it('holds the true offset within its uncertainty whatever the delays each way (2,000 random runs)', () => {
    const next = random(13);
    for (let run = 0; run < 2_000; run += 1) {
      const trueOffsetUs = Math.round((next() - 0.5) * 200_000_000);
      const samples = Array.from({ length: 1 + Math.floor(next() * 60) }, (_, index) =>
        sample(index * 5_000, Math.floor(next() * 3_000), Math.floor(next() * 3_000), trueOffsetUs),
      );
      const estimate = estimateClockOffset(samples);
      expect(Math.abs(estimate.offsetUs - trueOffsetUs)).toBeLessThanOrEqual(estimate.uncertaintyUs);
    }
  });
});

describe('workerClock: shared or estimated', () => {
  const here = { bootId: 'boot-a', timeNamespace: 'time:[1]' };
  const estimate = { offsetUs: -23, uncertaintyUs: 61, rttUs: 118 };

  it('shares the clock only with the same boot and the same time namespace: offset 0, no uncertainty', () => {
    expect(workerClock(here, { ...here }, estimate)).toEqual({
      kind: 'shared',
      offsetUs: 0,
      uncertaintyUs: 0,
      maxUncertaintyUs: 0,
      rttUs: 118,
      measuredOffsetUs: -23,
      reestimates: [],
    });
  });

  it('estimates any other: another boot, another time namespace, or anything unknown', () => {
    const others = [
      { bootId: 'boot-b', timeNamespace: 'time:[1]' },
      { bootId: 'boot-a', timeNamespace: 'time:[2]' },
      { timeNamespace: 'time:[1]' },
      { bootId: 'boot-a' },
      undefined,
    ];
    for (const other of others) {
      expect(workerClock(here, other, estimate)).toMatchObject({ kind: 'estimated', offsetUs: -23, uncertaintyUs: 61 });
    }
    // The coordinator's own /proc silent: nothing can be shared.
    expect(workerClock({}, {}, estimate).kind).toBe('estimated');
  });
});

describe('re-estimates during the run', () => {
  it('ping in the widest gap between the boundary and every worker stats send', () => {
    for (const workers of [1, 2, 3, 5, 16, 64]) {
      const slot = quietSlotFraction(workers);
      const busy = [0, 1, ...Array.from({ length: workers }, (_, index) => statsSendFraction(index))];
      const nearest = Math.min(...busy.map((point) => Math.abs(point - slot)));
      // At least as far from every busy moment as the even spread of N + 1 points would leave.
      expect(nearest, `${workers} workers`).toBeGreaterThanOrEqual(0.5 / (workers + 1) - 1e-9);
    }
    expect(quietSlotFraction(3)).toBeCloseTo((statsSendFraction(1) + 1) / 2, 9);
  });

  it('falls every period after the start of measurement, in the quiet slot, never at or after its end', () => {
    const slotUs = Math.round(quietSlotFraction(3) * 1_000_000);
    const times = { measureStartUs: 1_000_000, measureEndUs: 1_000_000 + 95_000_000 };
    expect(reestimateTimesUs(times, 3, 30_000)).toEqual([1, 2, 3].map((k) => 1_000_000 + k * 30_000_000 + slotUs));
    expect(reestimateTimesUs({ measureStartUs: 0, measureEndUs: 29_000_000 }, 3, 30_000)).toEqual([]);
  });
});

describe('the clock error bound of the latency figures', () => {
  const clock = (maxUncertaintyUs: number, moves: number[] = []): WorkerClock => ({
    kind: maxUncertaintyUs === 0 ? 'shared' : 'estimated',
    offsetUs: 0,
    uncertaintyUs: maxUncertaintyUs,
    maxUncertaintyUs,
    rttUs: 2 * maxUncertaintyUs,
    measuredOffsetUs: 0,
    reestimates: moves.map((move, index) => ({
      atMs: index * 30_000,
      offsetUs: move,
      uncertaintyUs: 10,
      rttUs: 20,
      previousOffsetUs: 0,
      applied: false,
    })),
  });
  const record = (index: number, workerClock?: WorkerClock): WorkerRecord => ({
    index,
    pid: 100 + index,
    ...(workerClock ? { clock: workerClock } : {}),
  });

  it('is the largest sum of two distinct instances: uncertainty plus the drift each saw', () => {
    const records = [record(0, clock(0)), record(1, clock(60, [5, -40])), record(2, clock(90)), record(3, clock(30))];
    // Instance 1: 60 + 40 drift = 100; instance 2: 90; instance 3: 30.
    expect(latencyClockErrorBoundUs(records)).toBe(190);
    expect(clockFields(records[1]!)).toMatchObject({
      clock: 'estimated',
      clockUncertaintyUs: 60,
      clockDriftUs: 40,
      clockErrorBoundUs: 100,
    });
  });

  it('is 0 when every clock is shared, or with one instance; an unmeasured one adds nothing', () => {
    expect(latencyClockErrorBoundUs([record(0, clock(0)), record(1, clock(0))])).toBe(0);
    expect(latencyClockErrorBoundUs([record(0, clock(80))])).toBe(0);
    expect(latencyClockErrorBoundUs([record(0, clock(80)), record(1)])).toBe(80);
    expect(clockFields(record(1)).clock).toBe('unmeasured');
  });
});
