// The thresholds every run is judged by, and how user thresholds combine with them.

import type { ThresholdSpec } from '../config/threshold-spec.js';
import { parseThreshold } from './parse-threshold.js';

/**
 * Every expected delivery arrives, no instance hears its own events, each event reaches exactly the other N-1
 * instances, and every event the schedule asked for was published: `delivery==100%`, `selfReceived==0`,
 * `amplification==${procs - 1}`, `publishRatio==100%`.
 *
 * With faults (--fault) a loss or a refused publish inside a fault's window is what the fault is for, and a killed
 * worker receives nothing after its death: `delivery`, `amplification` and `publishRatio` are then left to the user
 * (`lostDuringFault<=N`, `recovery<2s`), and FAULT_RULES hold instead.
 */
export function defaultThresholds(procs: number, withFaults = false): ThresholdSpec[] {
  if (withFaults) return ['selfReceived==0', ...FAULT_RULES].map(parseOwn);
  return ['delivery==100%', 'selfReceived==0', `amplification==${Math.max(0, procs - 1)}`, 'publishRatio==100%'].map(
    parseOwn,
  );
}

/**
 * Built in with faults, never replaced: an event lost, or a publish refused or failed, outside every fault's window
 * fails the run.
 */
export const FAULT_RULES: readonly string[] = ['lostOutsideFaults==0', 'unpublishedOutsideFaults==0'];

/**
 * The thresholds a run is judged by: the defaults plus the user's, where any user threshold on a metric
 * replaces the default on that metric (`--threshold delivery>=99.9%` relaxes `delivery==100%`; several user
 * thresholds on one metric are all kept, e.g. a range), except FAULT_RULES, which a run with faults always keeps.
 * Defaults come first, in their order, then the user's. Idempotent: resolving an already resolved list for the
 * same procs and faults returns an equal list.
 */
export function resolveThresholds(user: readonly ThresholdSpec[], procs: number, withFaults = false): ThresholdSpec[] {
  const userMetrics = new Set(user.map((spec) => spec.metric));
  const userExpressions = new Set(user.map((spec) => spec.expression));
  const kept = defaultThresholds(procs, withFaults).filter(
    (spec) =>
      (FAULT_RULES.includes(spec.expression) && !userExpressions.has(spec.expression)) || !userMetrics.has(spec.metric),
  );
  return [...kept, ...user];
}

function parseOwn(expression: string): ThresholdSpec {
  const parsed = parseThreshold(expression);
  if (!parsed.ok) throw new Error(`default threshold "${expression}" does not parse: ${parsed.reason}`);
  return parsed.value;
}
