// A parsed threshold: which metric, how it compares, and the limit in the metric's own unit.

import type { MetricName } from '../model/metrics.js';

export const THRESHOLD_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

export interface ThresholdSpec {
  /** The expression as the user wrote it (trimmed), e.g. "p99<5ms". Reported back verbatim. */
  expression: string;
  metric: MetricName;
  operator: ThresholdOperator;
  /** The limit in the metric's unit: microseconds for latency, a fraction for ratios ("99.9%" -> 0.999). */
  value: number;
}
