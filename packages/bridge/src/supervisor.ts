// Connection supervision: connect and subscribe, turn drops into outages and recoveries, health checks, close.

import type { ChannelTransport } from './channel-transport.js';
import { connectAndSubscribe } from './connect.js';
import { listenToConnection } from './connection-events.js';
import { ConnectionHealth } from './connection-health.js';
import {
  assertShareable,
  endConnections,
  openConnections,
  receives,
  roleLabel,
  type BridgeConnection,
  type BridgeConnections,
} from './connections.js';
import type { BridgeCounters } from './counters.js';
import { BridgeClosedError } from './errors.js';
import type { UnresponsivePhase } from './health-check.js';
import type { Lifecycle } from './lifecycle.js';
import { shouldLogOccurrence } from './logger.js';
import type { ResolvedBridgeOptions } from './options.js';
import type { OutageCause } from './outage.js';
import { OutageTracker } from './outage-tracker.js';
import { deniedPermission, describeDenied } from './permission.js';
import type { MessageSink } from './receive-path.js';
import { redactSecrets, sanitizeError } from './redact.js';
import { SentinelFollower } from './sentinel-follower.js';
import { connectedServer, describeRedisTarget, disableOfflineQueue, dropConnection } from './redis-clients.js';
import { ConnectGate, type Supervision } from './supervision.js';
import { createTransport } from './transports.js';

/** What the supervisor is given by the bridge it supervises. */
export interface SupervisorDeps {
  options: ResolvedBridgeOptions;
  instanceId: string;
  counters: BridgeCounters;
  lifecycle: Lifecycle;
  secrets: readonly string[];
  /** The receive path: every message the transport receives. */
  receive: MessageSink;
  /** Envelope `ts` of the newest valid event received (evidence of a slow consumer). */
  lastEventTsUs: () => number | undefined;
  /** Wait for publishes in flight, at most `timeoutMs` (close() does, before it unsubscribes). */
  drain: (timeoutMs: number) => Promise<void>;
}

export class ConnectionSupervisor implements Supervision {
  readonly #deps: SupervisorDeps;
  readonly #lifecycle: Lifecycle;
  readonly #outages: OutageTracker;
  readonly #health: ConnectionHealth;
  #connections: BridgeConnections | undefined;
  #transport: ChannelTransport | undefined;
  /** The receiving connection's subscription is acknowledged (and it has not closed since). */
  #subscribed = false;
  readonly #gate = new ConnectGate();
  #abortConnect: AbortController | undefined;
  #connectionErrors = 0;
  /** Behind Sentinel: follows the master the sentinels announce; undefined for one server. */
  readonly #sentinel: SentinelFollower | undefined;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
    this.#lifecycle = deps.lifecycle;
    this.#outages = new OutageTracker(deps.lifecycle, deps.counters);
    this.#health = new ConnectionHealth(deps.options, deps.counters);
    this.#sentinel = SentinelFollower.for(deps.options, deps.secrets);
  }

  /** The transport while the bridge is `ready`; undefined otherwise (publishing then fails fast). */
  get readyTransport(): ChannelTransport | undefined {
    return this.#lifecycle.state === 'ready' ? this.#transport : undefined;
  }

  /** See EventBridge.connect. */
  connect(): Promise<void> {
    return this.#gate.connect(this.#lifecycle.state, () => this.#connectOnce());
  }

  /** See EventBridge.close: idempotent, every call returns the same promise. */
  close(): Promise<void> {
    return this.#gate.close(() => this.#closeOnce());
  }

  async #connectOnce(): Promise<void> {
    const { options, instanceId, secrets } = this.#deps;
    this.#lifecycle.set('connecting');
    const abort = new AbortController();
    this.#abortConnect = abort;
    let connections: BridgeConnections | undefined;
    try {
      connections = openConnections(this.#sentinel?.connectionOptions() ?? options, instanceId);
      const transport = createTransport(connections, this.#deps);
      this.#connections = connections;
      this.#transport = transport;
      for (const connection of connections.all) this.#watch(connections, connection);
      const target = describeRedisTarget(options);
      await connectAndSubscribe({
        connections,
        transport,
        channel: options.channel,
        timeoutMs: options.connectTimeoutMs,
        signal: abort.signal,
        target,
        secrets,
      });
      assertShareable(connections, target);
    } catch (error) {
      this.#connections = undefined;
      this.#transport = undefined;
      if (connections !== undefined) await endConnections(connections, 1_000);
      if (this.#lifecycle.state === 'connecting') this.#lifecycle.set('idle');
      throw error;
    } finally {
      this.#abortConnect = undefined;
    }
    // close() may have started after the subscription was acknowledged: it ends the connections.
    if (this.#lifecycle.state !== 'connecting') {
      throw new BridgeClosedError('EventBridge was closed while connect() was running');
    }
    for (const { client } of connections.all) disableOfflineQueue(client);
    this.#health.start(connections, this.#onUnresponsive);
    this.#sentinel?.follow(connections, () => this.#connections === connections);
    // A connection may have dropped between the acknowledgement and now: then this is already an outage.
    this.#subscribed = connections.subscriber.status === 'ready';
    this.#outages.connectedTo(connectedServer(connections.subscriber));
    const down = connections.all.filter(({ client }) => client.status !== 'ready');
    if (down.length === 0) this.#lifecycle.set('ready');
    else
      this.#outages.begin(
        'connection-lost',
        down.flatMap(({ roles }) => roles),
      );
  }

  readonly #onUnresponsive = (connection: BridgeConnection, phase: UnresponsivePhase, waitedMs: number): void => {
    if (this.#connections?.all.includes(connection) !== true) return;
    const state = this.#lifecycle.state;
    if (state === 'closing' || state === 'closed') return;
    this.#deps.counters.healthCheckFailures++;
    this.#deps.options.logger.warn(
      { role: roleLabel(connection), phase, waitedMs, healthCheckTimeoutMs: this.#deps.options.healthCheckTimeoutMs },
      phase === 'ping'
        ? 'EventBridge: Redis did not answer PING in time (stopped, or the connection is half-open); reconnecting'
        : 'EventBridge: Redis did not complete the reconnect handshake in time; reconnecting again',
    );
    this.#outages.lost('health-check', connection.roles);
    dropConnection(connection.client);
  };

  async #closeOnce(): Promise<void> {
    const deadline = Date.now() + this.#deps.options.closeTimeoutMs;
    this.#sentinel?.stop();
    this.#health.stop();
    this.#outages.clear();
    this.#lifecycle.set('closing');
    this.#abortConnect?.abort();
    await this.#gate.settled();
    await this.#deps.drain(deadline - Date.now());
    const connections = this.#connections;
    if (connections !== undefined) {
      await this.#transport?.close(Math.max(deadline - Date.now(), 100));
      await endConnections(connections, Math.max(deadline - Date.now(), 500));
    }
    this.#subscribed = false;
    this.#lifecycle.set('closed');
  }

  /** Follow one connection: log its errors, and act when it closes, is ready again, or ends for good. */
  #watch(connections: BridgeConnections, connection: BridgeConnection): void {
    const role = roleLabel(connection);
    const current = (): boolean => this.#connections === connections;
    const logger = this.#deps.options.logger;
    listenToConnection(connection, {
      error: (error) => {
        this.#connectionErrors++;
        if (current() && shouldLogOccurrence(this.#connectionErrors)) {
          logger.warn({ role, err: sanitizeError(error, this.#deps.secrets) }, 'EventBridge Redis connection error');
        }
      },
      closed: (wasUp) => {
        if (!current()) return;
        if (receives(connection)) this.#subscribed = false;
        const state = this.#lifecycle.state;
        if (state === 'ready') {
          const cause = receives(connection) && wasUp ? this.#subscriberCloseCause(connections) : 'connection-lost';
          this.#outages.lost(cause, connection.roles);
        } else if (state === 'reconnecting') {
          this.#outages.lost('connection-lost', connection.roles);
        }
      },
      ready: () => {
        if (!current() || this.#lifecycle.state !== 'reconnecting') return;
        if (receives(connection)) this.#resubscribe(connections, connection);
        else this.#maybeReady();
      },
      ended: () => {
        const state = this.#lifecycle.state;
        if (!current() || (state !== 'ready' && state !== 'reconnecting')) return;
        logger.error(
          { role },
          'EventBridge Redis connection ended for good (retryStrategy gave up); closing the bridge',
        );
        void this.close();
      },
    });
  }

  #subscriberCloseCause(connections: BridgeConnections): OutageCause {
    return this.#health.subscriberCloseCause(connections.publisher.status === 'ready', this.#deps.lastEventTsUs());
  }

  /** Subscribe on a reconnected receiving connection (once: autoResubscribe is off); `ready` waits for the acknowledgement. */
  #resubscribe(connections: BridgeConnections, connection: BridgeConnection): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    const { client } = connection;
    const { channel, logger } = this.#deps.options;
    const secrets = this.#deps.secrets;
    transport.resubscribe().then(
      () => {
        if (this.#connections !== connections || client.status !== 'ready') return;
        this.#subscribed = true;
        this.#maybeReady();
      },
      (error: unknown) => {
        if (this.#connections !== connections || client.status !== 'ready') return;
        if (this.#lifecycle.state !== 'reconnecting') return;
        const reason = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
        const denied = deniedPermission(reason);
        this.#connectionErrors++;
        if (shouldLogOccurrence(this.#connectionErrors)) {
          logger.error(
            { err: sanitizeError(error, secrets) },
            denied === undefined
              ? `EventBridge could not resubscribe to ${channel}: ${reason}; reconnecting to retry`
              : `EventBridge could not resubscribe: ${describeDenied(denied, transport.commands.subscribe, channel)}; reconnecting to retry`,
          );
        }
        // Through a reconnect, so ioredis's retryStrategy paces the retries.
        dropConnection(client);
      },
    );
  }

  /** `ready` again once every connection is up and the subscription is acknowledged. */
  #maybeReady(): void {
    const connections = this.#connections;
    if (this.#lifecycle.state !== 'reconnecting' || !this.#subscribed || connections === undefined) return;
    if (connections.all.some(({ client }) => client.status !== 'ready')) return;
    this.#outages.recover(connectedServer(connections.subscriber));
  }
}
