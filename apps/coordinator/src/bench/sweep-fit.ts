// Least-squares lines of a sweep's medians against the process count N (p99 latency, CPU per delivered event).

import { linearFit, type LinearFit } from '@evbridge/metrics';
import type { TransportName } from './plan.js';
import type { BenchMetricKey } from './metrics.js';
import type { ProcsSummary } from './summarize.js';

/** The figures a sweep fits against N. */
export const SWEEP_FIT_METRICS: readonly BenchMetricKey[] = ['latencyP99Us', 'cpuUsPerDelivered'];

export interface SweepFit {
  metric: BenchMetricKey;
  transport: TransportName;
  /** y = slope * N + intercept over the medians; null with fewer than two process counts that have the figure. */
  fit: LinearFit | null;
  /** The [N, median] points the line was fitted to. */
  points: Array<[number, number]>;
}

export function fitSweep(summaries: readonly ProcsSummary[]): SweepFit[] {
  const fits: SweepFit[] = [];
  for (const metric of SWEEP_FIT_METRICS) {
    for (const transport of ['bridge', 'raw'] as const) {
      const points: Array<[number, number]> = [];
      for (const summary of summaries) {
        const span = summary[transport][metric];
        if (span !== null) points.push([summary.procs, span.median]);
      }
      const distinctN = new Set(points.map(([n]) => n)).size;
      fits.push({ metric, transport, fit: distinctN >= 2 ? linearFit(points) : null, points });
    }
  }
  return fits;
}
