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
 * (`lostDuringFault<=N`, `recovery<2s`), and FAULT_RULES hold instead. A fault on a private topology
 * (`topologyFaults`: kill-master, failover, kill-node) adds `recovery<TOPOLOGY_RECOVERY_TARGET`.
 */
export function defaultThresholds(procs: number, withFaults = false, topologyFaults = false): ThresholdSpec[] {
  if (withFaults) {
    const recovery = topologyFaults ? [`recovery<${TOPOLOGY_RECOVERY_TARGET}`] : [];
    return ['selfReceived==0', ...FAULT_RULES, ...recovery].map(parseOwn);
  }
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
 * How soon after kill-master or failover every instance must hear every other again, Sentinel's own detection
 * included: down-after-milliseconds (1 s), the sentinels' agreement and election (up to ~1 s of random delay),
 * the promotion, and the bridge's reconnect and resubscribe. Measured here: 2.3-2.4 s for kill-master, 1.3-1.5 s
 * for failover, most of it SENTINEL FAILOVER's own promotion (README, Sentinel). A split vote among the sentinels
 * retries after 2 x failover-timeout and fails it. A Cluster's kill-node (or kill-master): cluster-node-timeout
 * (1 s), the failure report's spread and the replica's election, then ioredis's new subscriber: measured 2.6-3.5 s
 * (README, Cluster).
 */
export const TOPOLOGY_RECOVERY_TARGET = '5s';

/**
 * The thresholds a run is judged by: the defaults plus the user's, where any user threshold on a metric
 * replaces the default on that metric (`--threshold delivery>=99.9%` relaxes `delivery==100%`; several user
 * thresholds on one metric are all kept, e.g. a range), except FAULT_RULES, which a run with faults always keeps.
 * Defaults come first, in their order, then the user's. Idempotent: resolving an already resolved list for the
 * same procs and faults returns an equal list.
 */
export function resolveThresholds(
  user: readonly ThresholdSpec[],
  procs: number,
  withFaults = false,
  topologyFaults = false,
): ThresholdSpec[] {
  const userMetrics = new Set(user.map((spec) => spec.metric));
  const userExpressions = new Set(user.map((spec) => spec.expression));
  const kept = defaultThresholds(procs, withFaults, topologyFaults).filter(
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
