// The pure find-max search: given the steps measured so far, the next rate to try or the answer.

/** One measured rate and whether it held the SLO. */
export interface SearchPoint {
  rateEventsPerSec: number;
  passed: boolean;
}

export interface SearchSettings {
  /** The first rate tried. */
  startRateEventsPerSec: number;
  /** Steps measured at most; the search answers with what it has when they are spent. */
  maxSteps: number;
  /** Stop bisecting once (lowest fail - highest pass) <= tolerance * highest pass; 0.05 = within 5%. */
  tolerance: number;
  /** Descending below this rate (when even the start fails) gives up with no answer. */
  minRateEventsPerSec: number;
}

/** ramp: doubling while every step passed; descend: halving while none passed; bisect: between the two. */
export type SearchPhase = 'ramp' | 'descend' | 'bisect';
export type SearchEnd = 'converged' | 'max-steps' | 'below-min-rate';

export type SearchDecision =
  | { kind: 'measure'; rateEventsPerSec: number; phase: SearchPhase }
  | { kind: 'done'; maxRateEventsPerSec: number | null; reason: SearchEnd };

/**
 * The next step of the search. Ramp from the start rate, doubling while every step passes; if the start
 * fails, halve until one passes; then bisect between the highest pass and the lowest fail until they are
 * within the tolerance. Conservative under noise: the answer is the highest pass *below the lowest fail*,
 * so a lucky pass above a failed rate never becomes the answer. Never proposes a rate already measured.
 */
export function nextStep(history: readonly SearchPoint[], settings: SearchSettings): SearchDecision {
  const best = bestPassingRate(history);
  if (history.length >= settings.maxSteps) return { kind: 'done', maxRateEventsPerSec: best, reason: 'max-steps' };
  if (history.length === 0) return { kind: 'measure', rateEventsPerSec: settings.startRateEventsPerSec, phase: 'ramp' };
  const lowestFail = lowestFailingRate(history);
  if (lowestFail === undefined) {
    const highest = Math.max(...history.map((point) => point.rateEventsPerSec));
    return { kind: 'measure', rateEventsPerSec: highest * 2, phase: 'ramp' };
  }
  if (best === null) {
    const lower = lowestFail / 2;
    if (lower < settings.minRateEventsPerSec)
      return { kind: 'done', maxRateEventsPerSec: null, reason: 'below-min-rate' };
    return { kind: 'measure', rateEventsPerSec: lower, phase: 'descend' };
  }
  const converged: SearchDecision = { kind: 'done', maxRateEventsPerSec: best, reason: 'converged' };
  if (lowestFail - best <= settings.tolerance * best) return converged;
  const middle = midpoint(best, lowestFail);
  const measured = history.some((point) => point.rateEventsPerSec === middle);
  if (middle <= best || middle >= lowestFail || measured) return converged;
  return { kind: 'measure', rateEventsPerSec: middle, phase: 'bisect' };
}

/** The highest passing rate below the lowest failing one (any pass if nothing failed); null if none. */
export function bestPassingRate(history: readonly SearchPoint[]): number | null {
  const lowestFail = lowestFailingRate(history) ?? Number.POSITIVE_INFINITY;
  const passes = history.filter((point) => point.passed && point.rateEventsPerSec < lowestFail);
  return passes.length === 0 ? null : Math.max(...passes.map((point) => point.rateEventsPerSec));
}

function lowestFailingRate(history: readonly SearchPoint[]): number | undefined {
  const fails = history.filter((point) => !point.passed).map((point) => point.rateEventsPerSec);
  return fails.length === 0 ? undefined : Math.min(...fails);
}

/** Whole events/s while the interval is wide enough, so the rates read well ("12000", not "12000.5"). */
function midpoint(low: number, high: number): number {
  const exact = (low + high) / 2;
  return high - low > 2 ? Math.round(exact) : exact;
}
