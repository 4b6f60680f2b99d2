// The bridge's counters: what was published, received, filtered, dropped and delivered.

import type { MalformedKind } from './envelope.js';

/**
 * Every inbound event, and every malformed message, lands in exactly one bucket:
 * `received == selfEchoesFiltered + malformed + deliveredToHandlers`. A batch envelope (`coalesce: 'tick'`) counts
 * once per event it carries; a malformed message once, whatever it held.
 */
export interface BridgeCounters {
  /** Events whose PUBLISH Redis acknowledged (with `coalesce: 'tick'`, each event of an acknowledged batch). */
  published: number;
  /**
   * publish() calls that rejected: not ready, invalid payload, Redis error, or the connection closed before Redis
   * replied. Nothing is dropped silently: every failed publish is counted here and rejected to its caller.
   */
  publishFailed: number;
  /** The part of `publishFailed` refused with BridgeNotReadyError (the fail-fast policy while not `ready`). */
  publishNotReady: number;
  /** Every event that arrived on the channel (each event of a batch), plus every malformed message. */
  received: number;
  /** Valid events carrying this bridge's instance id, dropped (own echoes, plus identity collisions). */
  selfEchoesFiltered: number;
  /** Valid, non-self events dispatched to handlers (once per event, not per handler; also with no handler). */
  deliveredToHandlers: number;
  /** Delivered events that carry this bridge's own nonce, pid and host. Must stay 0. */
  selfReceived: number;
  /** Invalid messages dropped (sum of malformedByKind). */
  malformed: number;
  malformedByKind: Record<MalformedKind, number>;
  /** Handler invocations that threw (or returned a rejected promise). */
  handlerErrors: number;
  /** Events carrying this bridge's instance id but another nonce: another bridge claims our id. */
  identityCollisions: number;
  /** Times the bridge left `ready` (`reconnecting`): outages begun. */
  outages: number;
  /** Times the bridge became `ready` (subscribed) again after an outage. */
  recoveries: number;
  /** Connections the health check dropped: PING (or a reconnect's handshake) unanswered for healthCheckTimeoutMs. */
  healthCheckFailures: number;
  /** Subscriber closes attributed to Redis's client-output-buffer-limit (inferred; see OutageCause). */
  outputBufferDisconnects: number;
  /**
   * `delivery: 'at-least-once'`: gaps found in the stream behind this bridge's cursor (entries trimmed before it read
   * them, or the stream lost by Redis), each also a lifecycle `'lost'` event with its range.
   */
  streamGaps: number;
  /**
   * Stream entries in those gaps whose number was known (an entry is one event, or one batch with `coalesce: 'tick'`).
   * Gaps of unknown size (the stream lost by Redis) count in streamGaps only.
   */
  streamLostEntries: number;
  /**
   * `delivery: 'at-least-once'`: stream entries dropped as duplicates: at or before the cursor, or carrying the
   * message id of one read lately (a publish Redis had added and that was sent again after its connection dropped).
   */
  duplicatesDropped: number;
  /** `delivery: 'at-least-once'`: XADDs sent again because their connection dropped before Redis replied. */
  publishResent: number;
}

export function createCounters(): BridgeCounters {
  return {
    published: 0,
    publishFailed: 0,
    publishNotReady: 0,
    received: 0,
    selfEchoesFiltered: 0,
    deliveredToHandlers: 0,
    selfReceived: 0,
    malformed: 0,
    malformedByKind: { json: 0, shape: 0, version: 0, oversized: 0 },
    handlerErrors: 0,
    identityCollisions: 0,
    outages: 0,
    recoveries: 0,
    healthCheckFailures: 0,
    outputBufferDisconnects: 0,
    streamGaps: 0,
    streamLostEntries: 0,
    duplicatesDropped: 0,
    publishResent: 0,
  };
}

/** A detached copy, so callers can keep and compare snapshots. */
export function snapshotCounters(counters: BridgeCounters): BridgeCounters {
  return { ...counters, malformedByKind: { ...counters.malformedByKind } };
}
