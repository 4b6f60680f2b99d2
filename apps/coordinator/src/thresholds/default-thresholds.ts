// The thresholds every run is judged by, and how user thresholds combine with them.

import type { ThresholdSpec } from './threshold-spec.js';
import { parseThreshold } from './parse-threshold.js';

/**
 * Every expected delivery arrives, no instance hears its own events, and each event reaches exactly the
 * other N-1 instances: `delivery==100%`, `selfReceived==0`, `amplification==${procs - 1}`.
 */
export function defaultThresholds(procs: number): ThresholdSpec[] {
  return ['delivery==100%', 'selfReceived==0', `amplification==${Math.max(0, procs - 1)}`].map(parseOwn);
}

/**
 * The thresholds a run is judged by: the defaults plus the user's, where any user threshold on a metric
 * replaces the default on that metric (`--threshold delivery>=99.9%` relaxes `delivery==100%`; several user
 * thresholds on one metric are all kept, e.g. a range). Defaults come first, in their order, then the user's.
 * Idempotent: resolving an already resolved list for the same procs returns an equal list.
 */
export function resolveThresholds(user: readonly ThresholdSpec[], procs: number): ThresholdSpec[] {
  const userMetrics = new Set(user.map((spec) => spec.metric));
  const kept = defaultThresholds(procs).filter((spec) => !userMetrics.has(spec.metric));
  return [...kept, ...user];
}

function parseOwn(expression: string): ThresholdSpec {
  const parsed = parseThreshold(expression);
  if (!parsed.ok) throw new Error(`default threshold "${expression}" does not parse: ${parsed.reason}`);
  return parsed.value;
}
