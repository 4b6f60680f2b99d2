// The Mann-Whitney U (Wilcoxon rank-sum) test of two independent samples, two-sided, as scipy.stats.mannwhitneyu.
import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

/**
 * Exact p-values while the smaller sample has at most 8 values (scipy's 'auto') and the larger at most 400 (beyond
 * that the exact distribution costs seconds and the normal approximation is close), and nothing is tied.
 */
export const EXACT_LIMITS = { smallerMax: 8, largerMax: 400 } as const;

/** Whether samples of m and n values without ties get an exact p-value. */
export function exactApplies(m: number, n: number): boolean {
  return Math.min(m, n) <= EXACT_LIMITS.smallerMax && Math.max(m, n) <= EXACT_LIMITS.largerMax;
}

export interface RankSumTest {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counting one half. */
  u: number;
  /** Two-sided p-value: how often samples this far apart arise when both come from one distribution. */
  pValue: number;
  /** `exact`: from U's distribution (small samples, no ties); `asymptotic`: normal approximation, ties corrected. */
  method: 'exact' | 'asymptotic';
  /** The standardized statistic (continuity-corrected) of an asymptotic test; null for an exact one. */
  z: number | null;
  /**
   * The smallest p-value samples of these sizes can give (no overlap, no ties): above alpha, no difference however
   * large can be called significant.
   */
  minimumPValue: number;
}

/**
 * Mann-Whitney U test, two-sided. Exact for small samples without ties (EXACT_LIMITS), else the
 * normal approximation with the tie correction and a continuity correction of 0.5 (scipy's defaults). Samples where
 * every value is equal give p = 1. Throws a RangeError on an empty sample or a value that is not finite.
 */
export function rankSumTest(x: readonly number[], y: readonly number[]): RankSumTest {
  checkSample('x', x);
  checkSample('y', y);
  const m = x.length;
  const n = y.length;
  const u = wilcoxonRankSum(x, y) - (m * (m + 1)) / 2;
  const tieTerm = tieSum([...x, ...y]);
  const minimumPValue = separatedPValue(m, n);
  if (tieTerm === 0 && exactApplies(m, n)) {
    return { u, pValue: exactPValue(u, m, n), method: 'exact', z: null, minimumPValue };
  }
  const { pValue, z } = asymptoticPValue(u, m, n, tieTerm);
  return { u, pValue, method: 'asymptotic', z, minimumPValue };
}

function checkSample(name: string, sample: readonly number[]): void {
  if (sample.length === 0) throw new RangeError(`rankSumTest() needs at least one value in ${name}`);
  sample.forEach((value, index) => {
    if (!Number.isFinite(value)) {
      throw new RangeError(`rankSumTest() needs finite numbers, got ${String(value)} at ${name}[${index}]`);
    }
  });
}

/** Sum over groups of tied values of t^3 - t (t = the group's size): 0 when nothing is tied. */
function tieSum(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i += 1) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run += 1;
      continue;
    }
    sum += run ** 3 - run;
    run = 1;
  }
  return sum;
}

/** P(|Z| >= |z|) for a standard normal Z. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2));
}

function asymptoticPValue(u: number, m: number, n: number, tieTerm: number): { pValue: number; z: number } {
  const total = m + n;
  const mean = (m * n) / 2;
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  // Every value equal: the samples cannot be told apart.
  if (variance <= 0) return { pValue: 1, z: 0 };
  const distance = Math.max(0, Math.abs(u - mean) - 0.5);
  const z = distance / Math.sqrt(variance);
  return { pValue: twoSidedNormalP(z), z };
}

/** P(U = u) for u = 0..mn under the null hypothesis, samples of m and n values without ties. */
export function exactUDistribution(m: number, n: number): number[] {
  // counts[i][u]: arrangements of i values of x among j values of y (j grows one by one) whose U is u.
  let counts: number[][] = Array.from({ length: m + 1 }, () => [1]);
  for (let j = 1; j <= n; j += 1) {
    const next: number[][] = [[1]];
    for (let i = 1; i <= m; i += 1) {
      // U(i, j) = u: the largest value is a y (U as with j - 1 values of y) or an x (beating all j values of y).
      const row = new Array<number>(i * j + 1).fill(0);
      const withoutY = counts[i] ?? [];
      const withoutX = next[i - 1] ?? [];
      for (let value = 0; value < row.length; value += 1) {
        row[value] = (withoutY[value] ?? 0) + (value >= j ? (withoutX[value - j] ?? 0) : 0);
      }
      next.push(row);
    }
    counts = next;
  }
  const last = counts[m] ?? [1];
  const total = last.reduce((sum, count) => sum + count, 0);
  return last.map((count) => count / total);
}

function exactPValue(u: number, m: number, n: number): number {
  // U's distribution is the same with the samples' roles swapped; the loops are shortest with the smaller one as x.
  const distribution = exactUDistribution(Math.min(m, n), Math.max(m, n));
  const far = Math.max(u, m * n - u);
  let upper = 0;
  for (let value = Math.ceil(far); value < distribution.length; value += 1) upper += distribution[value] ?? 0;
  return Math.min(1, 2 * upper);
}

/** The p-value of samples of m and n values that do not overlap and hold no ties. */
function separatedPValue(m: number, n: number): number {
  if (exactApplies(m, n)) return exactPValue(0, m, n);
  return asymptoticPValue(0, m, n, 0).pValue;
}
