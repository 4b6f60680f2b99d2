// The protocol's run-time values a worker needs, in a module of their own: importing schema.ts loads zod.

/** Bumped on any incompatible change; hello carries it and the coordinator refuses a mismatch. */
export const PROTOCOL_VERSION = 3;

/** How a worker paces its publishes (create-pacer.ts): the one list the protocol, the floor and the CLI accept. */
export const PACER_KINDS = ['open-loop', 'precise', 'naive-interval'] as const;
export type PacerKind = (typeof PACER_KINDS)[number];

/** How often a worker sends stats (and samples its RSS, CPU and event-loop delay), as the coordinator configures it. */
export const STATS_INTERVAL_MS = 1000;

/**
 * Where in each stats interval worker `index` encodes and sends what it closed at the boundary, as a fraction of the
 * interval: spread by the golden ratio so that any number of workers never do that work together (all at the
 * boundary, it stalled every worker at once, and raised latency p99 on 2 cores from about 3.7 to 5.6 ms). The
 * coordinator reads it too, to time its clock re-estimates away from every worker's stats.
 */
export const statsSendFraction = (index: number): number => ((index * 0.618_033_988_75) % 1) * 0.9;

/** Fault-trace events one message carries at most (a stats message stays small whatever happened). */
export const TRACE_EVENTS_MAX = 256;

/** Every window counter at zero (schema.ts checks the shape against WindowCounters). */
export const emptyWindowCounters = () => ({
  scheduled: 0,
  published: 0,
  refused: 0,
  publishFailed: 0,
  arrivals: 0,
  delivered: 0,
  duplicates: 0,
  outOfOrder: 0,
  selfEchoesFiltered: 0,
  selfReceived: 0,
  redisReportedReceivers: 0,
  invalidPayloads: 0,
});

/** The counters every driver reports, at zero (schema.ts checks the shape against BridgeCountersMessage). */
export const emptyBridgeCounters = () => ({
  published: 0,
  publishFailed: 0,
  deliveredToHandlers: 0,
  selfReceived: 0,
});
