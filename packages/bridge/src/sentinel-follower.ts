// Behind Sentinel: how the bridge's connections follow the master: they resolve it through the switches the
// sentinels announced (MasterRoutes), and those not on a newly announced master reconnect at once, once each.
import type { BridgeConnections } from './connections.js';
import type { ResolvedBridgeOptions } from './options.js';
import { connectedServer, reconnectNow } from './redis-clients.js';
import { sentinelOptionsOf } from './sentinel-options.js';
import { addressKey, type MasterAddress, MasterRoutes, SentinelWatch } from './sentinel-watch.js';

export class SentinelFollower {
  readonly #options: ResolvedBridgeOptions;
  readonly #secrets: readonly string[];
  readonly #routes = new MasterRoutes();
  #watch: SentinelWatch | undefined;

  private constructor(options: ResolvedBridgeOptions, secrets: readonly string[]) {
    this.#options = options;
    this.#secrets = secrets;
  }

  /** A follower when `options.redis` names a Sentinel group; undefined for one server. */
  static for(options: ResolvedBridgeOptions, secrets: readonly string[]): SentinelFollower | undefined {
    return sentinelOptionsOf(options.redis, options.redisOptions) === undefined
      ? undefined
      : new SentinelFollower(options, secrets);
  }

  /** The options to open connections with: the master resolved through the announced switches (unless the user maps addresses). */
  connectionOptions(): ResolvedBridgeOptions {
    const options = this.#options;
    if (sentinelOptionsOf(options.redis, options.redisOptions)?.natMap !== undefined) return options;
    return { ...options, redisOptions: { ...options.redisOptions, natMap: this.#routes.natMap } };
  }

  /**
   * Watches the sentinels for `connections` (while `current()` says they are the bridge's): on a new master, every
   * connection not on it reconnects; the bridge then resubscribes there once, as after any outage.
   */
  follow(connections: BridgeConnections, current: () => boolean): void {
    const { logger } = this.#options;
    // Each sentinel announces the same switch: a connection already sent toward that master is left to get there,
    // unless it came up on another server (it asked a sentinel that had not heard yet).
    const sentToward = new WeakMap<object, string>();
    const onSwitch = (from: MasterAddress, to: MasterAddress): void => {
      this.#routes.switched(from, to);
      if (!current()) return;
      const server = addressKey(to);
      const stale = connections.all.filter(({ client }) => {
        if (client.status === 'ready') return connectedServer(client) !== server;
        return sentToward.get(client) !== server;
      });
      if (stale.length === 0) return;
      logger.warn(
        { server, connections: stale.flatMap(({ roles }) => roles) },
        'EventBridge: the sentinels announced a new master; reconnecting to it',
      );
      for (const { client } of stale) {
        sentToward.set(client, server);
        reconnectNow(client);
      }
    };
    const sentinel = sentinelOptionsOf(this.#options.redis, this.#options.redisOptions) ?? {};
    this.#watch?.stop();
    this.#watch = new SentinelWatch(sentinel, onSwitch, logger, this.#secrets);
  }

  /** Ends the sentinel connections. */
  stop(): void {
    this.#watch?.stop();
    this.#watch = undefined;
  }
}
