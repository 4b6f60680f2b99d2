// One figure of both sides as a comparison row: the two values, the change absolute and in percent, the verdict.
import type { CompareMetric } from './compare-metrics.js';
import type { Judgement, MetricComparison } from './comparison.js';
import { verdictOf } from './judge.js';

export function metricComparison(
  metric: CompareMetric,
  base: number | null,
  next: number | null,
  judgement: Judgement,
): MetricComparison {
  const change = base === null || next === null ? null : next - base;
  const changePercent = change === null || base === null || base === 0 ? null : (change / Math.abs(base)) * 100;
  return {
    metric: metric.name,
    label: metric.label,
    unit: metric.unit,
    worse: metric.worse,
    base,
    new: next,
    change,
    changePercent,
    judgement,
    verdict: verdictOf(judgement, change, metric.worse),
  };
}
