// EventBridge: typed publish/subscribe of events between service instances over one Redis channel.

import { EventEmitter } from 'node:events';
import { createCounters, snapshotCounters, type BridgeCounters } from './counters.js';
import type { AnyEventHandler, EventHandler } from './handlers.js';
import { createIdentity, type BridgeIdentity } from './identity.js';
import { Lifecycle, type BridgeLifecycleEvents } from './lifecycle.js';
import { resolveBridgeOptions, type BridgeOptions } from './options.js';
import { PublishPath } from './publish-path.js';
import { ReceivePath } from './receive-path.js';
import { collectSecrets } from './redis-clients.js';
import type { BridgeState } from './state.js';
import { ClusterSupervisor } from './cluster-supervisor.js';
import { ConnectionSupervisor, type SupervisorDeps } from './supervisor.js';
import type { Supervision } from './supervision.js';

export type { BridgeLifecycleEvents, CollisionInfo } from './lifecycle.js';

/**
 * A bridge between the instances of a service: `publish(type, data)` reaches every other bridge of the
 * namespace (never the sender itself), `on(type, handler)` receives theirs.
 *
 * Publishing policy: fail fast. `publish()` rejects with `BridgeNotReadyError` unless the state is `ready`;
 * nothing is queued while connecting or reconnecting, and a publish in flight when its connection drops rejects
 * with `BridgePublishError` (never resent: Redis may have run it). Every failure is counted (`publishFailed`).
 *
 * Inside: the publish path (publish-path.ts) and the receive path (receive-path.ts) meet Redis through a channel
 * transport (channel-transport.ts) whose connections the supervisor (supervisor.ts) opens, watches and closes.
 */
export class EventBridge<Events extends Record<string, unknown> = Record<string, unknown>> {
  /** Lifecycle events: `'state'` (state, previous, change), `'recovered'`, `'collision'` (once). Listener errors are logged, not thrown. */
  readonly lifecycle = new EventEmitter<BridgeLifecycleEvents>();
  readonly namespace: string;
  /** The Redis channel: `${namespace}:events` (with a Cluster, the shard channels are `${namespace}:events:{N}`). */
  readonly channel: string;
  readonly identity: Readonly<BridgeIdentity>;

  readonly #counters = createCounters();
  readonly #lifecycle: Lifecycle;
  readonly #publishPath: PublishPath;
  readonly #receivePath: ReceivePath;
  readonly #supervisor: Supervision;

  constructor(options: BridgeOptions) {
    const resolved = resolveBridgeOptions(options);
    const secrets = collectSecrets(resolved);
    this.namespace = resolved.namespace;
    this.channel = resolved.channel;
    this.identity = Object.freeze(createIdentity({ instanceId: resolved.instanceId, host: resolved.host }));
    const counters = this.#counters;
    const lifecycle = new Lifecycle(this.lifecycle, resolved.logger);
    this.#lifecycle = lifecycle;
    this.#publishPath = new PublishPath(resolved, this.identity, counters, secrets);
    const receivePath = new ReceivePath(resolved, this.identity, counters, lifecycle);
    this.#receivePath = receivePath;
    const deps: SupervisorDeps = {
      options: resolved,
      instanceId: this.identity.instanceId,
      counters,
      lifecycle,
      secrets,
      receive: receivePath.receive,
      lastEventTsUs: () => receivePath.lastEventTsUs,
      drain: (timeoutMs) => this.#publishPath.drain(timeoutMs),
    };
    // A Cluster: one ioredis Cluster with sharded pub/sub; otherwise a publisher and a subscriber connection.
    this.#supervisor = resolved.cluster === undefined ? new ConnectionSupervisor(deps) : new ClusterSupervisor(deps);
  }

  get instanceId(): string {
    return this.identity.instanceId;
  }

  /** The host label this bridge carries in its envelopes. */
  get host(): string {
    return this.identity.host;
  }

  /** The sequence number the next successful publish() will carry (0 before the first). */
  get nextSeq(): number {
    return this.#publishPath.nextSeq;
  }

  get state(): BridgeState {
    return this.#lifecycle.state;
  }

  /** Publishes sent to Redis and not yet acknowledged. */
  get pendingPublishes(): number {
    return this.#publishPath.pending;
  }

  /** A snapshot of the counters. */
  stats(): BridgeCounters {
    return snapshotCounters(this.#counters);
  }

  /**
   * Open the connections (two, or one shared) and SUBSCRIBE; resolves once the subscription is acknowledged (state `ready`).
   * Rejects with `BridgeConnectError` (unreachable within `connectTimeoutMs`, bad credentials), after which
   * the state is `idle` again and `connect()` may be retried; or `BridgeClosedError` when closed meanwhile.
   */
  connect(): Promise<void> {
    return this.#supervisor.connect();
  }

  /**
   * Publish one event to every bridge of the namespace. Resolves with Redis's PUBLISH reply: how many
   * subscribers received it, this bridge's own subscriber included. Rejects (never throws synchronously)
   * with `BridgeNotReadyError` unless ready, `TypeError` for data JSON cannot carry or above
   * `maxPayloadBytes`, `BridgePublishError` when Redis fails.
   */
  publish<K extends keyof Events & string>(type: K, data: Events[K]): Promise<number> {
    const transport = this.#supervisor.readyTransport;
    if (transport === undefined) return this.#publishPath.notReady(this.#lifecycle.state);
    return this.#publishPath.publish(transport, type, data);
  }

  /** Handle events of one type from other bridges. Returns an unsubscribe function. */
  on<K extends keyof Events & string>(type: K, handler: EventHandler<Events[K]>): () => void {
    if (typeof type !== 'string' || type.length === 0) throw new TypeError('on() type must be a non-empty string');
    if (typeof handler !== 'function') throw new TypeError('on() handler must be a function');
    return this.#receivePath.handlers.add(type, handler as EventHandler<unknown>);
  }

  /** Handle every event from other bridges, whatever its type. Returns an unsubscribe function. */
  onAny(handler: AnyEventHandler<keyof Events & string, Events[keyof Events & string]>): () => void {
    if (typeof handler !== 'function') throw new TypeError('onAny() handler must be a function');
    return this.#receivePath.handlers.addAny(handler as AnyEventHandler);
  }

  /**
   * Wait for pending publishes (bounded by `closeTimeoutMs`), UNSUBSCRIBE, QUIT the connections.
   * Idempotent: every call returns the same promise. The state ends `closed`.
   */
  close(): Promise<void> {
    return this.#supervisor.close();
  }
}
