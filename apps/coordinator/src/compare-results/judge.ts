// Whether a figure changed significantly between two sides, and what that makes it: worse, better or unchanged.
import { rankSumTest, shiftEstimate } from '@evbridge/metrics';
import type { Judgement, MetricVerdict } from './comparison.js';

/** The confidence of the shift's interval, whatever --alpha is (the interval describes; alpha decides). */
export const SHIFT_CONFIDENCE = 0.95;

/**
 * A Mann-Whitney U test of the two sides' samples at `alpha`, with the Hodges-Lehmann shift new - base; not judged
 * when a side has no sample, or too few for any p-value below alpha (`what` names the samples: "seconds", "runs").
 */
export function judgeSamples(base: readonly number[], next: readonly number[], alpha: number, what: string): Judgement {
  if (base.length === 0 || next.length === 0) {
    const side = base.length === 0 ? (next.length === 0 ? 'either side' : 'the base') : 'the new side';
    return { kind: 'not-judged', reason: `no ${what} with a value on ${side}` };
  }
  const test = rankSumTest(base, next);
  if (test.minimumPValue >= alpha) {
    const few = base.length === 1 || next.length === 1 ? 'single sample' : `too few ${what}`;
    return {
      kind: 'not-judged',
      reason: `${few} (${base.length} against ${next.length}): not judged (the smallest p-value they can give is ${roundP(test.minimumPValue)}, not below alpha ${alpha})`,
    };
  }
  const shift = shiftEstimate(base, next, SHIFT_CONFIDENCE);
  const half = (base.length * next.length) / 2;
  return {
    kind: 'tested',
    method: test.method,
    pValue: test.pValue,
    significant: test.pValue < alpha,
    // U counts the base's wins: more than half of the pairs means the new samples lie lower.
    direction: test.u > half ? 'lower' : test.u < half ? 'higher' : 'none',
    baseSamples: base.length,
    newSamples: next.length,
    shift: { estimate: shift.shift, low: shift.low, high: shift.high },
  };
}

/** A tally of the whole run: any difference is real. */
export function judgeExact(base: number | null, next: number | null): Judgement {
  if (base === null || next === null) return { kind: 'not-judged', reason: 'no value on one side' };
  return { kind: 'exact', significant: base !== next };
}

/** Which way the new side moved, as far as the judgement can tell (a tally: by its values). */
export function directionOf(judgement: Judgement, change: number | null): 'higher' | 'lower' | 'none' {
  if (judgement.kind === 'tested') return judgement.direction;
  if (judgement.kind === 'exact' && change !== null) return change > 0 ? 'higher' : change < 0 ? 'lower' : 'none';
  return 'none';
}

export function verdictOf(judgement: Judgement, change: number | null, worse: 'higher' | 'lower'): MetricVerdict {
  if (judgement.kind === 'not-judged') return 'not-judged';
  const direction = directionOf(judgement, change);
  if (!judgement.significant || direction === 'none') return 'unchanged';
  return direction === worse ? 'worse' : 'better';
}

/** Two significant digits, for messages. */
function roundP(p: number): string {
  return Number(p.toPrecision(2)).toString();
}
