// The Mann-Whitney U test and the Hodges-Lehmann shift against reference values.
//
// Source of the p-values: SciPy 1.17.1, `scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method=M)` with
// its defaults (use_continuity=True), M = 'auto' unless named; the first case is the example of SciPy's
// mannwhitneyu documentation (Mann & Whitney's males/females, p = 0.1111 exact, U = 17).
import { describe, expect, it } from 'vitest';
import { exactUDistribution, rankSumTest, shiftEstimate, twoSidedNormalP } from '../src/index.js';

describe('rankSumTest', () => {
  it('gives the exact p-value of SciPy documentation example (5 against 4, no ties)', () => {
    const test = rankSumTest([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(test.u).toBe(17);
    expect(test.method).toBe('exact');
    expect(test.pValue).toBeCloseTo(0.1111111111111111, 12);
  });

  it('gives the exact p-value of two samples that do not overlap, and that this is their smallest', () => {
    const fourAndFour = rankSumTest([1, 2, 3, 4], [5, 6, 7, 8]);
    expect(fourAndFour.u).toBe(0);
    expect(fourAndFour.pValue).toBeCloseTo(0.02857142857142857, 12);
    expect(fourAndFour.minimumPValue).toBeCloseTo(0.02857142857142857, 12);
    const threeAndThree = rankSumTest([1, 4, 8], [9, 12, 15]);
    expect(threeAndThree.pValue).toBeCloseTo(0.1, 12);
    // Three seconds a side can never be significant at 0.05, however far apart.
    expect(threeAndThree.minimumPValue).toBeCloseTo(0.1, 12);
  });

  it('is exact with one small sample and a large one (5 against 40)', () => {
    const test = rankSumTest(
      [11.5, 21.5, 31.5, 41.5, 51.5],
      Array.from({ length: 40 }, (_, i) => i * 3 + 1),
    );
    expect(test.u).toBe(53);
    expect(test.method).toBe('exact');
    expect(test.pValue).toBeCloseTo(0.09382374101602689, 10);
  });

  it('turns to the normal approximation when the larger sample passes 400 values (5 against 401)', () => {
    const test = rankSumTest(
      [11.5, 21.5, 31.5, 41.5, 51.5],
      Array.from({ length: 401 }, (_, i) => i * 3 + 1),
    );
    expect(test.method).toBe('asymptotic');
    // SciPy, method='asymptotic' (its 'auto' would compute the exact distribution here).
    expect(test.pValue).toBeCloseTo(0.00027351731978762534, 8);
  });

  it('corrects for ties in the normal approximation (8 against 9)', () => {
    const test = rankSumTest([1, 2, 2, 3, 3, 3, 4, 5], [3, 4, 4, 5, 5, 6, 7, 7, 8]);
    expect(test.u).toBe(7.5);
    expect(test.method).toBe('asymptotic');
    expect(test.pValue).toBeCloseTo(0.006373133838085873, 6);
  });

  it('uses the normal approximation beyond 8 values a side (10 against 12, no ties)', () => {
    const test = rankSumTest(
      [1.2, 3.4, 2.2, 5.1, 4.4, 6.3, 2.9, 3.8, 4.9, 5.5],
      [6.1, 7.2, 5.9, 8.8, 4.1, 7.7, 6.6, 9.3, 5.3, 8.1, 7.0, 6.9],
    );
    expect(test.u).toBe(9);
    expect(test.method).toBe('asymptotic');
    expect(test.pValue).toBeCloseTo(0.0008688610598347449, 6);
  });

  it('tells per-second rates apart where most values are tied', () => {
    const base = [2000, 2002, 2001, 2000, 2000, 1999, 2001, 2000, 2002, 2000];
    const slower = [1990, 1991, 1990, 2000, 1992, 1990, 1989, 1991, 1990, 1993];
    const test = rankSumTest(base, slower);
    expect(test.u).toBe(96.5);
    expect(test.pValue).toBeCloseTo(0.0003974486678275086, 6);
  });

  it('gives p = 1 for identical samples and for samples of one repeated value', () => {
    expect(rankSumTest([5, 6, 7, 8, 9], [5, 6, 7, 8, 9]).pValue).toBe(1);
    expect(rankSumTest([7, 7, 7, 7, 7, 7, 7, 7, 7], [7, 7, 7, 7, 7, 7, 7, 7, 7, 7]).pValue).toBe(1);
  });

  it('is symmetric in its samples', () => {
    const x = [3, 9, 1, 14, 6, 8, 2, 11, 10, 4];
    const y = [12, 15, 7, 13, 16, 18, 5, 17];
    expect(rankSumTest(x, y).pValue).toBeCloseTo(rankSumTest(y, x).pValue, 12);
    expect(rankSumTest(x, y).u + rankSumTest(y, x).u).toBe(x.length * y.length);
  });

  it('refuses an empty sample and values that are not finite', () => {
    expect(() => rankSumTest([], [1])).toThrow(/at least one value in x/);
    expect(() => rankSumTest([1, Number.NaN], [1])).toThrow(/finite numbers, got NaN at x\[1\]/);
  });
});

describe('exactUDistribution', () => {
  it("is U's distribution: 4 and 4 values give 70 arrangements, one of them U = 0", () => {
    const distribution = exactUDistribution(4, 4);
    expect(distribution).toHaveLength(17);
    expect(distribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(distribution[0]).toBeCloseTo(1 / 70, 12);
    expect(distribution[8]).toBeCloseTo(8 / 70, 12);
    expect(distribution[16]).toBeCloseTo(1 / 70, 12);
  });
});

describe('twoSidedNormalP', () => {
  it('is 0.05 at z = 1.959964 and 1 at 0 (error function good to ~1e-7)', () => {
    expect(twoSidedNormalP(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedNormalP(-1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedNormalP(0)).toBeCloseTo(1, 6);
  });
});

describe('shiftEstimate', () => {
  it('is the median of the pairwise differences with the exact interval (4 against 4: 97.1%, the whole range)', () => {
    // Differences y - x of 1..4 and 5..8: 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 7. P(U <= 0) = 1/70 < 0.025
    // <= P(U <= 1) = 2/70, so the bounds are the 1st and 16th differences (R's wilcox.test gives [1, 7] too).
    expect(shiftEstimate([1, 2, 3, 4], [5, 6, 7, 8])).toEqual({ shift: 4, low: 1, high: 7, confidence: 0.95 });
  });

  it('has no interval where the samples are too small for the confidence', () => {
    expect(shiftEstimate([1, 2, 3], [9, 12, 15])).toMatchObject({ shift: 10, low: null, high: null });
  });

  it('finds a known shift of larger samples, the interval around it', () => {
    const x = Array.from({ length: 60 }, (_, i) => 1000 + ((i * 37) % 101));
    const y = x.map((value) => value + 250);
    const estimate = shiftEstimate(x, y);
    expect(estimate.shift).toBe(250);
    expect(estimate.low).toBeLessThan(250);
    expect(estimate.high).toBeGreaterThan(250);
    expect(estimate.low).toBeGreaterThan(200);
    expect(estimate.high).toBeLessThan(300);
  });

  it('refuses an empty sample and a confidence outside (0, 1)', () => {
    expect(() => shiftEstimate([], [1])).toThrow(/at least one value/);
    expect(() => shiftEstimate([1], [1], 1)).toThrow(/between 0 and 1/);
  });
});
