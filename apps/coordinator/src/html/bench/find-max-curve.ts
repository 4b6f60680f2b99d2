// Latency against offered rate from find-max steps, one colour per driver (or arm): p99 solid, p50 dashed, the SLO's
// p99 limit as a grey line; where each curve crosses it is where that driver bends.
import type { Slo } from '../../config/slo.js';
import type { FindMaxResult, FindMaxStep } from '../../find-max/find-max.js';
import { seriesColor } from '../chart-figure.js';
import type { ChartSeries, ChartSpec } from '../page-data.js';

export interface CurveArm {
  name: string;
  result: FindMaxResult | null;
}

/** A step that could not be run has no real figures: it is left off the curve. */
const measured = (step: FindMaxStep): boolean => !step.reasons.some((reason) => reason.startsWith('could not be run'));

/** Undefined when no arm measured a step. */
export function findMaxCurve(id: string, arms: readonly CurveArm[], slo: Slo | undefined): ChartSpec | undefined {
  const steps = arms.map((arm) => (arm.result?.steps ?? []).filter(measured));
  const rates = [...new Set(steps.flat().map((step) => step.rateEventsPerSec))].sort((a, b) => a - b);
  if (rates.length === 0) return undefined;
  const series: ChartSeries[] = [];
  arms.forEach((arm, index) => {
    const byRate = new Map(steps[index]?.map((step) => [step.rateEventsPerSec, step]));
    if (byRate.size === 0) return;
    const color = seriesColor(index);
    series.push({
      label: `${arm.name} p99`,
      values: rates.map((rate) => byRate.get(rate)?.p99Us ?? null),
      color,
      points: true,
      spanGaps: true,
    });
    if ([...byRate.values()].some((step) => step.p50Us !== undefined)) {
      series.push({
        label: `${arm.name} p50`,
        values: rates.map((rate) => byRate.get(rate)?.p50Us ?? null),
        color,
        dash: [5, 4],
        points: true,
        spanGaps: true,
      });
    }
  });
  if (slo !== undefined) {
    series.push({ label: 'SLO: p99 below', values: rates.map(() => slo.maxP99Us), color: '#8c8c8c', dash: [2, 4] });
  }
  return {
    id,
    title: 'Latency against offered rate (find-max steps)',
    x: rates,
    xKind: 'rate',
    xLabel: 'offered rate (events/s, log scale)',
    yLabel: 'latency from intended time (µs)',
    series,
  };
}
