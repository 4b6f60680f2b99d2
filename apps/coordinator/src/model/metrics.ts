// The threshold metric registry: one table mapping each metric name to its unit and where it lives in a Report.

import type { Report } from './report.js';
import type { MetricUnit } from './metric-unit.js';

export interface MetricDefinition {
  description: string;
  unit: MetricUnit;
  /** The metric's value in `unit`, or null when the report holds no data for it (never judged as holding). */
  read(report: Report): number | null;
}

/** Latency figures mean nothing without samples: a run that measured no event must not pass `p99<5ms`. */
function latency(description: string, pick: (report: Report) => number): MetricDefinition {
  return { description, unit: 'us', read: (report) => (report.latencyUs.count > 0 ? pick(report) : null) };
}

function field(description: string, unit: MetricUnit, pick: (report: Report) => number): MetricDefinition {
  return { description, unit, read: pick };
}

/**
 * The longest recovery among injected faults, in us; null (never holds) without an injected fault, infinite (never
 * holds) when one never recovered.
 */
function recoveryUs(report: Report): number | null {
  const injected = (report.faults ?? []).filter((fault) => fault.injectedAtMs !== null);
  if (injected.length === 0) return null;
  if (injected.some((fault) => fault.recoveryMs === null)) return Number.POSITIVE_INFINITY;
  return Math.max(...injected.map((fault) => (fault.recoveryMs ?? 0) * 1000));
}

const FROM_INTENDED = 'latency from the intended send time';
const TRANSIT = 'latency from the publish call (bridge + Redis)';
const SEND_LAG = 'publish call minus intended send time (pacer lateness)';

export const METRICS = {
  p50: latency(`${FROM_INTENDED}, median`, (r) => r.latencyUs.p50),
  p90: latency(`${FROM_INTENDED}, 90th percentile`, (r) => r.latencyUs.p90),
  p95: latency(`${FROM_INTENDED}, 95th percentile`, (r) => r.latencyUs.p95),
  p99: latency(`${FROM_INTENDED}, 99th percentile`, (r) => r.latencyUs.p99),
  p999: latency(`${FROM_INTENDED}, 99.9th percentile`, (r) => r.latencyUs.p999),
  max: latency(`${FROM_INTENDED}, maximum`, (r) => r.latencyUs.max),
  mean: latency(`${FROM_INTENDED}, mean`, (r) => r.latencyUs.mean),
  transitP50: latency(`${TRANSIT}, median`, (r) => r.transitLatencyUs.p50),
  transitP99: latency(`${TRANSIT}, 99th percentile`, (r) => r.transitLatencyUs.p99),
  transitP999: latency(`${TRANSIT}, 99.9th percentile`, (r) => r.transitLatencyUs.p999),
  transitMax: latency(`${TRANSIT}, maximum`, (r) => r.transitLatencyUs.max),
  sendLagP99: latency(`${SEND_LAG}, 99th percentile`, (r) => r.sendLagUs.p99),
  sendLagMax: latency(`${SEND_LAG}, maximum`, (r) => r.sendLagUs.max),
  delivery: field('delivered / expected deliveries', 'ratio', (r) => r.totals.deliveryRatio),
  publishRatio: field(
    'published / scheduled: events the schedule asked for that were published',
    'ratio',
    (r) => r.totals.publishRatio,
  ),
  unpublishedOutsideFaults: field(
    'publishes refused or failed outside every fault window (built in with --fault: ==0)',
    'count',
    (r) => r.totals.unpublishedOutsideFaults,
  ),
  amplification: field(
    'arrivals / published: handler calls per event (N-1 for N instances)',
    'factor',
    (r) => r.totals.amplification,
  ),
  lost: field('expected deliveries that never arrived', 'count', (r) => r.totals.lost),
  duplicates: field('events an instance received more than once', 'count', (r) => r.totals.duplicates),
  outOfOrder: field('events received after a later event of the same sender', 'count', (r) => r.totals.outOfOrder),
  selfReceived: field("events handed to their own sender's handlers", 'count', (r) => r.totals.selfReceived),
  malformed: field('messages that failed to decode', 'count', (r) => r.totals.malformed),
  receiverMismatch: field('|receivers Redis reported - receivers the instances counted|', 'count', (r) =>
    Math.abs(r.totals.redisReportedReceivers - r.totals.instancesCountedReceivers),
  ),
  lostDuringFault: field(
    "lost deliveries inside faults' windows (--fault), summed",
    'count',
    (r) => r.totals.lostDuringFaults ?? 0,
  ),
  lostOutsideFaults: field(
    'lost deliveries outside every fault window (built in with --fault: ==0)',
    'count',
    (r) => r.totals.lostOutsideFaults ?? r.totals.lost,
  ),
  recovery: {
    description: 'longest recovery of an injected fault (until every surviving pair receives again)',
    unit: 'us',
    read: (r) => recoveryUs(r),
  },
  faultViolations: field(
    "faults whose losses or duplicates Redis's semantics do not allow",
    'count',
    (r) => (r.faults ?? []).filter((fault) => fault.status !== 'not-reached' && !fault.verdict.allowed).length,
  ),
  publishedPerSec: field('measured publish rate, events/s', 'eventsPerSec', (r) => r.throughput.publishedEventsPerSec),
  deliveredPerSec: field('measured delivery rate, events/s', 'eventsPerSec', (r) => r.throughput.deliveredEventsPerSec),
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

/** Other spellings accepted on the command line, mapped to the metric they mean. */
export const METRIC_ALIASES: Readonly<Record<string, MetricName>> = {
  throughput: 'publishedPerSec',
};

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

const BY_LOWER_CASE = new Map<string, MetricName>([
  ...METRIC_NAMES.map((name) => [name.toLowerCase(), name] as const),
  ...Object.entries(METRIC_ALIASES).map(([alias, name]) => [alias.toLowerCase(), name] as const),
]);

/** The metric a user-written name means (case-insensitive, aliases included), or undefined. */
export function findMetric(name: string): MetricName | undefined {
  return BY_LOWER_CASE.get(name.toLowerCase());
}

export function metricDefinition(name: MetricName): MetricDefinition {
  return METRICS[name];
}
