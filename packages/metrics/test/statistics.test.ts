// Unit tests for summarize() and linearFit().
import { describe, expect, it } from 'vitest';
import { linearFit, summarize } from '../src/index.js';

describe('summarize', () => {
  it('gives count 0 and zeros for an empty input', () => {
    expect(summarize([])).toEqual({ count: 0, min: 0, max: 0, mean: 0, median: 0, stddev: 0, sum: 0 });
  });

  it('summarizes a known list (population standard deviation)', () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({
      count: 8,
      min: 2,
      max: 9,
      mean: 5,
      median: 4.5,
      stddev: 2,
      sum: 40,
    });
  });

  it('handles one value and odd counts', () => {
    expect(summarize([42])).toEqual({ count: 1, min: 42, max: 42, mean: 42, median: 42, stddev: 0, sum: 42 });
    expect(summarize([3, 1, 2]).median).toBe(2);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects non-finite values, naming the index', () => {
    expect(() => summarize([1, Number.NaN])).toThrow(/index 1/);
    expect(() => summarize([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('linearFit', () => {
  it('recovers an exact line with r2 = 1', () => {
    const fit = linearFit([
      [1, 5],
      [2, 7],
      [3, 9],
      [10, 23],
    ]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(3, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('fits noisy points with r2 below 1', () => {
    const fit = linearFit([
      [0, 1],
      [1, 3],
      [2, 2],
      [3, 5],
    ]);
    // By hand: slope = 5.5 / 5 = 1.1, intercept = 2.75 - 1.1 * 1.5 = 1.1, r2 = 1 - 2.7 / 8.75 (residual / total squares).
    expect(fit.slope).toBeCloseTo(1.1, 10);
    expect(fit.intercept).toBeCloseTo(1.1, 10);
    expect(fit.r2).toBeCloseTo(1 - 2.7 / 8.75, 10);
  });

  it('gives r2 = 1 for a flat line', () => {
    expect(
      linearFit([
        [1, 0.1],
        [2, 0.1],
        [3, 0.1],
      ]),
    ).toEqual({ slope: 0, intercept: expect.closeTo(0.1, 12), r2: 1 });
  });

  it('rejects fewer than two points, a single x, and non-finite numbers', () => {
    expect(() => linearFit([])).toThrow(/at least 2 points/);
    expect(() => linearFit([[1, 2]])).toThrow(/at least 2 points/);
    expect(() =>
      linearFit([
        [1, 2],
        [1, 3],
      ]),
    ).toThrow(/distinct x/);
    expect(() =>
      linearFit([
        [1, 2],
        [2, Number.NaN],
      ]),
    ).toThrow(/index 1/);
  });
});
