// The unit of a threshold metric: decides which values a threshold may be written with and how it compares.

/**
 * - `us`: integer microseconds; thresholds are written with a unit us, ms or s ("5ms").
 * - `ratio`: a fraction 0..1; written as a percent ("99.9%") or a plain fraction ("0.999").
 * - `factor`: a plain multiplier such as amplification ("4").
 * - `count`: a number of events ("0").
 * - `eventsPerSec`: a rate ("990").
 */
export type MetricUnit = 'us' | 'ratio' | 'factor' | 'count' | 'eventsPerSec';

/**
 * Absolute tolerance for comparing ratio and factor metrics, which are quotients of counts and so carry
 * binary rounding (0.1 + 0.2 !== 0.3). Counts, rates and microseconds compare exactly.
 */
export const RATIO_EPSILON = 1e-12;

export function usesEpsilon(unit: MetricUnit): boolean {
  return unit === 'ratio' || unit === 'factor';
}
