// How far a second sample sits from a first: the Hodges-Lehmann shift and the confidence interval the rank-sum test gives.
import { median, probit } from 'simple-statistics';
import { exactApplies, exactUDistribution } from './rank-sum-test.js';

export interface ShiftEstimate {
  /** The median of every difference y - x: the shift of y against x, in the samples' unit. */
  shift: number;
  /** Bounds of the interval, or null when the samples are too small for the confidence asked. */
  low: number | null;
  high: number | null;
  /** The confidence asked for, 0..1. */
  confidence: number;
}

/**
 * The Hodges-Lehmann estimate of the shift y - x and its distribution-free interval (Moses; Hollander & Wolfe, ch. 4):
 * the k-th smallest and k-th largest of the m x n differences, k from U's distribution as R's wilcox.test takes it
 * (exact for small samples, as the test is; else the normal approximation with a continuity correction; ties are
 * not corrected for, which widens the interval slightly).
 * Throws a RangeError on an empty sample or a confidence outside (0, 1).
 */
export function shiftEstimate(x: readonly number[], y: readonly number[], confidence = 0.95): ShiftEstimate {
  if (x.length === 0 || y.length === 0) throw new RangeError('shiftEstimate() needs at least one value in each sample');
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`shiftEstimate() needs a confidence between 0 and 1, got ${confidence}`);
  }
  const differences: number[] = [];
  for (const b of y) for (const a of x) differences.push(b - a);
  differences.sort((a, b) => a - b);
  const shift = median(differences);
  const k = intervalRank(x.length, y.length, (1 - confidence) / 2);
  if (k === null) return { shift, low: null, high: null, confidence };
  return { shift, low: differences[k - 1] ?? null, high: differences[differences.length - k] ?? null, confidence };
}

/**
 * The 1-based rank of the interval's lower bound among the sorted differences: the smallest u with P(U <= u) >= tail
 * (R's qwilcox), at least 1; null when even u = 0 is too likely (the interval would be unbounded).
 */
function intervalRank(m: number, n: number, tail: number): number | null {
  if (exactApplies(m, n)) {
    const distribution = exactUDistribution(Math.min(m, n), Math.max(m, n));
    if ((distribution[0] ?? 1) > tail) return null;
    let cumulative = 0;
    for (let u = 0; u < distribution.length; u += 1) {
      cumulative += distribution[u] ?? 0;
      if (cumulative >= tail) return Math.max(1, u);
    }
    return null;
  }
  // P(U <= u) ~ Phi((u + 0.5 - mn/2) / sd): the smallest whole u reaching the tail.
  const sd = Math.sqrt((m * n * (m + n + 1)) / 12);
  const u = Math.ceil((m * n) / 2 - 0.5 + probit(tail) * sd);
  return u < 0 ? null : Math.max(1, u);
}
