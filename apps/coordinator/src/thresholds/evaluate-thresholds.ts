// Judges parsed thresholds against a finished Report.

import type { Report, ThresholdResult } from '../model/report.js';
import { RATIO_EPSILON, usesEpsilon } from '../model/metric-unit.js';
import { METRICS } from '../model/metrics.js';
import type { ThresholdOperator, ThresholdSpec } from '../config/threshold-spec.js';

/**
 * One result per spec, in order. `actual` is in the metric's unit (microseconds, a 0..1 fraction, a count,
 * events/s). A metric the report holds no data for (e.g. latency with zero samples) gives actual null and
 * fails: a threshold never holds by default.
 */
export function evaluateThresholds(specs: readonly ThresholdSpec[], report: Report): ThresholdResult[] {
  return specs.map((spec) => {
    const metric = METRICS[spec.metric];
    const actual = metric.read(report);
    if (actual === null || !Number.isFinite(actual))
      return { expression: spec.expression, actual: null, passed: false };
    const tolerance = usesEpsilon(metric.unit) ? RATIO_EPSILON : 0;
    return { expression: spec.expression, actual, passed: compare(actual, spec.operator, spec.value, tolerance) };
  });
}

/**
 * `actual OP limit`, where values within `tolerance` of each other count as equal: with tolerance 1e-12,
 * 0.9990000000000001 == 0.999 holds and 0.999 < 0.999 + 1e-13 does not.
 */
export function compare(actual: number, operator: ThresholdOperator, limit: number, tolerance = 0): boolean {
  const equal = Math.abs(actual - limit) <= tolerance;
  switch (operator) {
    case '==':
      return equal;
    case '!=':
      return !equal;
    case '<':
      return actual < limit && !equal;
    case '<=':
      return actual < limit || equal;
    case '>':
      return actual > limit && !equal;
    case '>=':
      return actual > limit || equal;
  }
}

/** True when there is at least one result and every one passed: no verdict without a threshold behind it. */
export function thresholdsPassed(results: readonly ThresholdResult[]): boolean {
  return results.length > 0 && results.every((result) => result.passed);
}
