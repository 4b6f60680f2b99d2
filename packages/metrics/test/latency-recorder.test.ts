// Unit tests for LatencyRecorder: accuracy, encoding, merging, clamping.
import { describe, expect, it } from 'vitest';
import { LATENCY_CEILING_US, LatencyRecorder } from '../src/index.js';

/** Exact nearest-rank percentile of 1..n. */
const exactPercentileOf1ToN = (n: number, p: number): number => Math.max(1, Math.ceil((p / 100) * n));

function expectWithinTenthOfAPercent(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001);
}

/** Deterministic pseudo-random integers (xorshift32), so failures reproduce. */
function* pseudoRandomUs(count: number, seed: number, maxUs: number): Generator<number> {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield (x >>> 0) % maxUs;
  }
}

describe('LatencyRecorder', () => {
  it('reports all zeros when empty', () => {
    const recorder = new LatencyRecorder();
    expect(recorder.count).toBe(0);
    expect(recorder.summary()).toEqual({ count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 });
    expect(recorder.percentileUs(99)).toBe(0);
  });

  it('gives percentiles of 1..100000 us within 0.1%', () => {
    const recorder = new LatencyRecorder();
    for (let us = 1; us <= 100_000; us++) recorder.record(us);
    const summary = recorder.summary();
    expect(summary.count).toBe(100_000);
    expect(summary.min).toBe(1);
    expectWithinTenthOfAPercent(summary.max, 100_000);
    expectWithinTenthOfAPercent(summary.mean, 50_000.5);
    for (const [field, p] of [
      ['p50', 50],
      ['p90', 90],
      ['p95', 95],
      ['p99', 99],
      ['p999', 99.9],
    ] as const) {
      expectWithinTenthOfAPercent(summary[field], exactPercentileOf1ToN(100_000, p));
      expect(Number.isInteger(summary[field])).toBe(true);
    }
    expectWithinTenthOfAPercent(recorder.percentileUs(75), 75_000);
  });

  it('is exact below 2048 us', () => {
    const recorder = new LatencyRecorder();
    for (let us = 1; us <= 1000; us++) recorder.record(us);
    expect(recorder.summary()).toMatchObject({ min: 1, p50: 500, p90: 900, p99: 990, p999: 999, max: 1000, mean: 501 });
  });

  it('rounds non-integer values', () => {
    const recorder = new LatencyRecorder();
    recorder.record(10.4);
    recorder.record(10.6);
    expect(recorder.summary()).toMatchObject({ count: 2, min: 10, max: 11 });
  });

  it('clamps negative values to 0 and counts them', () => {
    const recorder = new LatencyRecorder();
    recorder.record(-5);
    recorder.record(-0.4); // rounds to -0, which is a valid 0
    recorder.record(7);
    expect(recorder.negativeSamples).toBe(1);
    expect(recorder.summary()).toMatchObject({ count: 3, min: 0, p50: 0, max: 7 });
  });

  it('records values above one hour by resizing, and clamps above the 24 h ceiling', () => {
    const recorder = new LatencyRecorder();
    const twoHoursUs = 7_200_000_000;
    recorder.record(twoHoursUs);
    expect(recorder.overflowSamples).toBe(0);
    expectWithinTenthOfAPercent(recorder.summary().max, twoHoursUs);

    recorder.record(LATENCY_CEILING_US * 10);
    recorder.record(Number.POSITIVE_INFINITY);
    expect(recorder.overflowSamples).toBe(2);
    expect(recorder.count).toBe(3);
    expectWithinTenthOfAPercent(recorder.summary().max, LATENCY_CEILING_US);
  });

  it('rejects NaN with an error that names the value', () => {
    expect(() => new LatencyRecorder().record(Number.NaN)).toThrow(/NaN/);
  });

  it('rejects percentiles outside 0..100', () => {
    const recorder = new LatencyRecorder();
    expect(() => recorder.percentileUs(101)).toThrow(RangeError);
    expect(() => recorder.percentileUs(-1)).toThrow(RangeError);
    expect(() => recorder.percentileUs(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips through encode/decode with the same count and percentiles', () => {
    const recorder = new LatencyRecorder();
    for (const us of pseudoRandomUs(50_000, 7, 2_000_000)) recorder.record(us);
    recorder.record(7_200_000_000); // a resized histogram must survive too
    const encoded = recorder.encode();
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const decoded = LatencyRecorder.decode(encoded);
    expect(decoded.count).toBe(recorder.count);
    expect(decoded.summary()).toEqual(recorder.summary());
    expect(decoded.percentileUs(12.5)).toBe(recorder.percentileUs(12.5));
    // The decoded recorder keeps working, including resizing.
    decoded.record(10_000_000_000);
    expect(decoded.count).toBe(recorder.count + 1);
  });

  it('walks the percentile spectrum as HdrHistogram does: 5 points per halving toward 99.999%', () => {
    const recorder = new LatencyRecorder();
    expect(recorder.percentileSpectrumUs()).toEqual([]);
    for (let us = 1; us <= 100_000; us++) recorder.record(us);
    const spectrum = recorder.percentileSpectrumUs();
    expect(spectrum.slice(0, 12).map((point) => point.percentile)).toEqual([
      0, 10, 20, 30, 40, 50, 55, 60, 65, 70, 75, 77.5,
    ]);
    // 16 whole halvings of the distance to 100% lie below 99.999% (2^-16 > 0.001% > 2^-17), 5 points each; the
    // 17th (1 - p from 2^-16 down to 2^-17) has 4 points before 99.999%, which ends the walk.
    expect(spectrum).toHaveLength(16 * 5 + 4 + 1);
    expect(spectrum.at(-1)?.percentile).toBe(99.999);
    for (const point of spectrum.slice(1)) {
      expectWithinTenthOfAPercent(point.valueUs, exactPercentileOf1ToN(100_000, point.percentile));
      expect(point.valueUs).toBe(recorder.percentileUs(point.percentile));
    }
    expect(spectrum[0]?.valueUs).toBe(1);
    for (let i = 1; i < spectrum.length; i++) {
      expect(spectrum[i]!.percentile).toBeGreaterThan(spectrum[i - 1]!.percentile);
      expect(spectrum[i]!.valueUs).toBeGreaterThanOrEqual(spectrum[i - 1]!.valueUs);
    }
  });

  it('ends the spectrum at the max once the percentile passes the histogram resolution', () => {
    const recorder = new LatencyRecorder();
    for (let us = 1; us <= 1000; us++) recorder.record(us);
    recorder.record(50_000);
    const spectrum = recorder.percentileSpectrumUs(2, 99.99);
    expect(spectrum.at(-1)).toEqual({ percentile: 99.99, valueUs: recorder.summary().max });
    expect(spectrum.filter((point) => point.percentile < 99.9).every((point) => point.valueUs <= 1000)).toBe(true);
    expect(() => recorder.percentileSpectrumUs(0)).toThrow(/ticksPerHalfDistance >= 1/);
    expect(() => recorder.percentileSpectrumUs(5, 100)).toThrow(/maxPercentile < 100/);
  });

  it('round-trips an empty recorder', () => {
    const decoded = LatencyRecorder.decode(new LatencyRecorder().encode());
    expect(decoded.count).toBe(0);
    expect(decoded.summary().max).toBe(0);
  });

  it("rejects garbage with a clear error and the decoder's error as cause", () => {
    const valid = (() => {
      const r = new LatencyRecorder();
      r.record(42);
      return r.encode();
    })();
    for (const garbage of ['garbage', 'AAAA', valid.slice(0, 20), 'HISTFAAAACR4nJNpmSzMwMDAzAABMJqRAQJgfDDVAAA=']) {
      let caught: unknown;
      try {
        LatencyRecorder.decode(garbage);
      } catch (error) {
        caught = error;
      }
      expect(caught, garbage).toBeInstanceOf(Error);
      expect((caught as Error).message).toMatch(/LatencyRecorder\.decode\(\) could not read the histogram/);
      expect((caught as Error).cause).toBeInstanceOf(Error);
    }
    expect(() => LatencyRecorder.decode('')).toThrow(TypeError);
    expect(() => LatencyRecorder.decode(42 as unknown as string)).toThrow(TypeError);
  });

  it('merging two recorders equals recording everything into one', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    const all = new LatencyRecorder();
    for (const us of pseudoRandomUs(20_000, 1, 500_000)) {
      a.record(us);
      all.record(us);
    }
    for (const us of pseudoRandomUs(30_000, 2, 5_000_000)) {
      b.record(us);
      all.record(us);
    }
    b.record(-1);
    all.record(-1);
    b.record(7_200_000_000); // b has resized, a has not
    all.record(7_200_000_000);

    a.add(LatencyRecorder.decode(b.encode()));
    expect(a.count).toBe(all.count);
    expect(a.summary()).toEqual(all.summary());
    for (const p of [0, 1, 10, 33.3, 50, 99.99, 100]) expect(a.percentileUs(p)).toBe(all.percentileUs(p));

    const direct = new LatencyRecorder();
    direct.add(b);
    expect(direct.negativeSamples).toBe(1);
  });

  it('reset empties the recorder and its counters', () => {
    const recorder = new LatencyRecorder();
    recorder.record(-3);
    recorder.record(500);
    recorder.reset();
    expect(recorder.count).toBe(0);
    expect(recorder.negativeSamples).toBe(0);
    expect(recorder.summary().max).toBe(0);
    recorder.record(9);
    expect(recorder.summary()).toMatchObject({ count: 1, min: 9, max: 9 });
  });
});
