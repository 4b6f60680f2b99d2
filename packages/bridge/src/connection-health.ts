// Health checks of a bridge's connections, and what they tell about why Redis closed the subscriber.

import { nowEpochUs } from './clock.js';
import type { BridgeConnection, BridgeConnections } from './connections.js';
import { publishes, receives } from './connections.js';
import type { BridgeCounters } from './counters.js';
import { ConnectionHealthCheck, type UnresponsivePhase } from './health-check.js';
import type { ResolvedBridgeOptions } from './options.js';
import { classifySubscriberClose, type OutageCause } from './outage.js';

export type UnresponsiveHandler = (connection: BridgeConnection, phase: UnresponsivePhase, waitedMs: number) => void;

/** What a connection delivers: messages on the receiving one, PUBLISH replies on the publishing one (a shared: both). */
function activityOf(connection: BridgeConnection, counters: BridgeCounters): () => number {
  if (!publishes(connection)) return () => counters.received;
  if (!receives(connection)) return () => counters.published;
  return () => counters.received + counters.published;
}

export class ConnectionHealth {
  readonly #options: ResolvedBridgeOptions;
  readonly #counters: BridgeCounters;
  #checks: ConnectionHealthCheck[] = [];
  #subscriberCheck: ConnectionHealthCheck | undefined;

  constructor(options: ResolvedBridgeOptions, counters: BridgeCounters) {
    this.#options = options;
    this.#counters = counters;
  }

  /** PING every connection each `healthCheckIntervalMs` (unless 0); a dead one is reported to `onUnresponsive`. */
  start(connections: BridgeConnections, onUnresponsive: UnresponsiveHandler): void {
    const { healthCheckIntervalMs: intervalMs, healthCheckTimeoutMs: timeoutMs } = this.#options;
    if (intervalMs === 0) return;
    const counters = this.#counters;
    this.#checks = connections.all.map((connection) => {
      const check = new ConnectionHealthCheck(connection.client, {
        intervalMs,
        timeoutMs,
        activity: activityOf(connection, counters),
        onUnresponsive: (phase, waitedMs) => onUnresponsive(connection, phase, waitedMs),
      });
      if (receives(connection)) this.#subscriberCheck = check;
      return check;
    });
    for (const check of this.#checks) check.start();
  }

  stop(): void {
    for (const check of this.#checks) check.stop();
  }

  /**
   * Why the subscriber closed: Redis hanging up on a subscriber that lagged behind is its output-buffer limit
   * (counted and logged). `publisherUp`: the publishing connection is still up; `lastEventTsUs`: see ReceivePath.
   */
  subscriberCloseCause(publisherUp: boolean, lastEventTsUs: number | undefined): OutageCause {
    const health = this.#subscriberCheck;
    // A stream reader is a normal client: no pubsub output-buffer limit closes it, and a lagging one loses nothing.
    if (health === undefined || this.#options.delivery === 'at-least-once') return 'connection-lost';
    const logger = this.#options.logger;
    const evidence = {
      publisherUp,
      recentTraffic: health.recentlyActive,
      stalledRecently: health.stalledRecently,
      lastEventTsUs,
      nowUs: nowEpochUs(),
    };
    const verdict = classifySubscriberClose(evidence);
    const { recentTraffic, stalledRecently } = evidence;
    logger.debug?.(
      { ...verdict, publisherUp, recentTraffic, stalledRecently },
      'EventBridge subscriber connection closed',
    );
    if (verdict.cause === 'output-buffer') {
      this.#counters.outputBufferDisconnects++;
      logger.warn(
        { lagMs: verdict.lagMs, stalledRecently, outputBufferDisconnects: this.#counters.outputBufferDisconnects },
        'EventBridge: Redis closed the subscriber while it lagged behind the stream (client-output-buffer-limit pubsub: ' +
          'a slow consumer); events in its output buffer are lost; resubscribing',
      );
    }
    return verdict.cause;
  }
}
