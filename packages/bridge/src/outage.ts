// Outages: why the bridge left `ready`, what its state events carry, and how an output-buffer close is told apart.

import type { ConnectionRole } from './redis-clients.js';

/**
 * Why the bridge left `ready`:
 * - `connection-lost`: Redis or the network closed a connection (a Redis restart, CLIENT KILL, a reset...).
 * - `health-check`: a connection left PING unanswered for `healthCheckTimeoutMs` with nothing else arriving on
 *   it (half-open: Redis stopped, a network path gone without a FIN); the bridge dropped it to reconnect.
 * - `output-buffer`: Redis closed the subscriber alone while it lagged behind the stream, which is what
 *   `client-output-buffer-limit pubsub` does to a slow consumer. Inferred on the client side: see the README.
 */
export type OutageCause = 'connection-lost' | 'health-check' | 'output-buffer';

/** The third argument of every lifecycle `'state'` event. */
export interface StateChange {
  /** Why the bridge left `ready`: on `'reconnecting'` and on the `'ready'` that ends the outage; null otherwise. */
  cause: OutageCause | null;
  /** On the `'ready'` that ends an outage: ms from leaving `ready` until subscribed again; null otherwise. */
  outageMs: number | null;
  /** The connections that dropped during the outage (so far, on `'reconnecting'`); empty outside outages. */
  connections: readonly ConnectionRole[];
}

/** The lifecycle `'recovered'` event: the bridge is `ready` (subscribed) again after an outage. */
export interface RecoveryInfo {
  cause: OutageCause;
  /** From leaving `ready` (when the bridge noticed the fault) until subscribed again, in ms. */
  outageMs: number;
  connections: readonly ConnectionRole[];
  /**
   * The Redis server (`host:port`, as the socket sees it) the bridge receives from again; null when unknown. Behind
   * Sentinel it is the master the sentinels name now; on a Cluster, the shard masters of its channels
   * (`host:port,host:port,...`, sorted).
   */
  server: string | null;
  /**
   * True when that is another server than before the outage: the bridge followed a failover to a new master (and
   * subscribed there); events published on the old one while it was away are gone.
   */
  serverChanged: boolean;
}

export const NO_STATE_CHANGE: StateChange = Object.freeze({
  cause: null,
  outageMs: null,
  connections: Object.freeze([]),
});

/**
 * A subscriber that Redis closes while the newest event it had read was published at least this long before is
 * taken as closed for its output buffer. Healthy subscribers read events within a few ms of their publication.
 */
export const OUTPUT_BUFFER_LAG_MS = 100;

export interface SubscriberCloseEvidence {
  /** The publisher connection was still up: Redis itself did not go away. */
  publisherUp: boolean;
  /** Events arrived on the subscriber within the last one or two health-check intervals. */
  recentTraffic: boolean;
  /** This process was itself stalled just before (a health-check tick ran more than an interval late). */
  stalledRecently: boolean;
  /** Publish time (envelope `ts`, epoch us) of the newest valid event read before the close; undefined if none. */
  lastEventTsUs: number | undefined;
  /** Now, epoch us (the clock of `ts`). */
  nowUs: number;
}

export interface SubscriberCloseVerdict {
  cause: 'connection-lost' | 'output-buffer';
  /** How far behind the subscriber was when it closed (ms), when it had traffic to be behind on; else null. */
  lagMs: number | null;
}

/**
 * `output-buffer` when the subscriber closed alone (the publisher still up) while events were flowing and it was
 * behind them: the newest event read was at least OUTPUT_BUFFER_LAG_MS old, or this process had just been stalled
 * (it was reading the backlog of its stall when Redis hung up; at high rates that backlog is only ms old).
 */
export function classifySubscriberClose(evidence: SubscriberCloseEvidence): SubscriberCloseVerdict {
  const { lastEventTsUs, recentTraffic, publisherUp, stalledRecently, nowUs } = evidence;
  if (!recentTraffic || lastEventTsUs === undefined) return { cause: 'connection-lost', lagMs: null };
  const lagMs = Math.max(0, Math.round((nowUs - lastEventTsUs) / 1000));
  const behind = lagMs >= OUTPUT_BUFFER_LAG_MS || stalledRecently;
  return { cause: publisherUp && behind ? 'output-buffer' : 'connection-lost', lagMs };
}
