// EventBridge: typed publish/subscribe of events between service instances over one Redis channel.

import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { nowEpochUs } from './clock.js';
import { connectAndSubscribe } from './connect.js';
import { createCounters, snapshotCounters, type BridgeCounters } from './counters.js';
import { decodeEnvelope, metaFromEnvelope, utf8ByteLength, type EventMeta } from './envelope.js';
import { BridgeClosedError, BridgeNotReadyError, BridgePublishError } from './errors.js';
import { HandlerRegistry, type AnyEventHandler, type EventHandler } from './handlers.js';
import { ConnectionHealthCheck, type UnresponsivePhase } from './health-check.js';
import { createIdentity, type BridgeIdentity } from './identity.js';
import { shouldLogOccurrence, type BridgeLogger } from './logger.js';
import { resolveBridgeOptions, type BridgeOptions, type ResolvedBridgeOptions } from './options.js';
import {
  classifySubscriberClose,
  NO_STATE_CHANGE,
  type OutageCause,
  type RecoveryInfo,
  type StateChange,
} from './outage.js';
import { deniedPermission, describeDenied } from './permission.js';
import { EnvelopeEncoder } from './envelope-encoder.js';
import { TickWrites } from './publish-pipeline.js';
import { redactSecrets, sanitizeError } from './redact.js';
import {
  collectSecrets,
  connectionNameFor,
  createRedisClient,
  describeRedisTarget,
  disableOfflineQueue,
  dropConnection,
  endRedisClient,
  rejectUnanswered,
  unsubscribeWithin,
  type ConnectionRole,
} from './redis-clients.js';
import type { BridgeState } from './state.js';

/** Another bridge publishes under this bridge's instance id (seen on the first such event). */
export interface CollisionInfo {
  instanceId: string;
  ownNonce: string;
  otherNonce: string;
  otherPid: number;
  otherHost: string;
}

/** Events of `bridge.lifecycle` (a typed node:events EventEmitter). */
export interface BridgeLifecycleEvents {
  /** Every state change; `change` says why the bridge left `ready` and, back in `ready`, how long it was out. */
  state: [state: BridgeState, previous: BridgeState, change: StateChange];
  /** Ready (subscribed) again after an outage. */
  recovered: [info: RecoveryInfo];
  collision: [info: CollisionInfo];
}

/** An outage in progress: since when (monotonic ms), why, and which connections dropped. */
interface Outage {
  startedMs: number;
  cause: OutageCause;
  connections: ConnectionRole[];
}

const noop = (): void => {};

/**
 * A bridge between the instances of a service: `publish(type, data)` reaches every other bridge of the
 * namespace (never the sender itself), `on(type, handler)` receives theirs.
 *
 * Publishing policy: fail fast. `publish()` rejects with `BridgeNotReadyError` unless the state is `ready`;
 * nothing is queued while connecting or reconnecting, and a publish in flight when its connection drops rejects
 * with `BridgePublishError` (never resent: Redis may have run it). Every failure is counted (`publishFailed`).
 */
export class EventBridge<Events extends Record<string, unknown> = Record<string, unknown>> {
  /** Lifecycle events: `'state'` (state, previous, change), `'recovered'`, `'collision'` (once). Listener errors are logged, not thrown. */
  readonly lifecycle = new EventEmitter<BridgeLifecycleEvents>();
  readonly namespace: string;
  /** The Redis channel: `${namespace}:events`. */
  readonly channel: string;
  readonly identity: Readonly<BridgeIdentity>;

  readonly #options: ResolvedBridgeOptions;
  readonly #logger: BridgeLogger;
  readonly #counters = createCounters();
  readonly #handlers: HandlerRegistry;
  readonly #secrets: readonly string[];
  #state: BridgeState = 'idle';
  #publisher: Redis | undefined;
  #subscriber: Redis | undefined;
  #subscribed = false;
  #seq = 0;
  readonly #tickWrites = new TickWrites();
  readonly #encoder: EnvelopeEncoder;
  #inFlight = 0;
  #drainWaiters: (() => void)[] = [];
  #connecting: Promise<void> | undefined;
  #abortConnect: AbortController | undefined;
  #closing: Promise<void> | undefined;
  #collisionReported = false;
  #connectionErrors = 0;
  #outage: Outage | undefined;
  #healthChecks: ConnectionHealthCheck[] = [];
  #subscriberHealth: ConnectionHealthCheck | undefined;
  /** Envelope `ts` of the newest valid event received: how far behind the subscriber is when Redis closes it. */
  #lastEventTsUs: number | undefined;

  constructor(options: BridgeOptions) {
    this.#options = resolveBridgeOptions(options);
    this.#logger = this.#options.logger;
    this.#secrets = collectSecrets(this.#options);
    this.namespace = this.#options.namespace;
    this.channel = this.#options.channel;
    this.identity = Object.freeze(createIdentity({ instanceId: this.#options.instanceId, host: this.#options.host }));
    this.#encoder = new EnvelopeEncoder(this.identity);
    this.#handlers = new HandlerRegistry(this.#onHandlerError);
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
    return this.#seq;
  }

  get state(): BridgeState {
    return this.#state;
  }

  /** Publishes sent to Redis and not yet acknowledged. */
  get pendingPublishes(): number {
    return this.#inFlight;
  }

  /** A snapshot of the counters. */
  stats(): BridgeCounters {
    return snapshotCounters(this.#counters);
  }

  /**
   * Open both connections and SUBSCRIBE; resolves once the subscription is acknowledged (state `ready`).
   * Rejects with `BridgeConnectError` (unreachable within `connectTimeoutMs`, bad credentials), after which
   * the state is `idle` again and `connect()` may be retried; or `BridgeClosedError` when closed meanwhile.
   */
  connect(): Promise<void> {
    switch (this.#state) {
      case 'idle': {
        const connecting = this.#connectOnce().finally(() => {
          if (this.#connecting === connecting) this.#connecting = undefined;
        });
        this.#connecting = connecting;
        return connecting;
      }
      case 'connecting':
        return this.#connecting ?? Promise.resolve();
      case 'ready':
      case 'reconnecting':
        return Promise.resolve();
      case 'closing':
      case 'closed':
        return Promise.reject(
          new BridgeClosedError('connect() was called on a closed EventBridge: create a new EventBridge'),
        );
    }
  }

  /**
   * Publish one event to every bridge of the namespace. Resolves with Redis's PUBLISH reply: how many
   * subscribers received it, this bridge's own subscriber included. Rejects (never throws synchronously)
   * with `BridgeNotReadyError` unless ready, `TypeError` for data JSON cannot carry or above
   * `maxPayloadBytes`, `BridgePublishError` when Redis fails.
   */
  publish<K extends keyof Events & string>(type: K, data: Events[K]): Promise<number> {
    const publisher = this.#publisher;
    if (this.#state !== 'ready' || publisher === undefined) {
      this.#counters.publishFailed++;
      this.#counters.publishNotReady++;
      return Promise.reject(new BridgeNotReadyError(this.#state));
    }
    if (typeof type !== 'string' || type.length === 0) {
      this.#counters.publishFailed++;
      return Promise.reject(new TypeError('publish() type must be a non-empty string'));
    }
    const seq = this.#seq;
    let payload: string;
    try {
      payload = this.#encoder.encode(seq, nowEpochUs(), type, data);
    } catch (error) {
      this.#counters.publishFailed++;
      return Promise.reject(error);
    }
    const max = this.#options.maxPayloadBytes;
    const bytes = utf8ByteLength(payload, max);
    if (bytes > max) {
      this.#counters.publishFailed++;
      return Promise.reject(
        new TypeError(
          `event '${type}' encodes to ${bytes} bytes, above options.maxPayloadBytes (${max}): ` +
            'publish a reference to the data instead, or raise maxPayloadBytes on every bridge of the namespace',
        ),
      );
    }
    this.#seq = seq + 1;
    this.#inFlight++;
    const sent =
      this.#options.publishPipelining === 'tick'
        ? this.#tickWrites.publish(publisher, this.channel, payload)
        : publisher.publish(this.channel, payload);
    return sent.then(this.#onPublished, this.#onPublishFailed);
  }

  /** Handle events of one type from other bridges. Returns an unsubscribe function. */
  on<K extends keyof Events & string>(type: K, handler: EventHandler<Events[K]>): () => void {
    if (typeof type !== 'string' || type.length === 0) throw new TypeError('on() type must be a non-empty string');
    if (typeof handler !== 'function') throw new TypeError('on() handler must be a function');
    return this.#handlers.add(type, handler as EventHandler<unknown>);
  }

  /** Handle every event from other bridges, whatever its type. Returns an unsubscribe function. */
  onAny(handler: AnyEventHandler<keyof Events & string, Events[keyof Events & string]>): () => void {
    if (typeof handler !== 'function') throw new TypeError('onAny() handler must be a function');
    return this.#handlers.addAny(handler as AnyEventHandler);
  }

  /**
   * Wait for pending publishes (bounded by `closeTimeoutMs`), UNSUBSCRIBE, QUIT both connections.
   * Idempotent: every call returns the same promise. The state ends `closed`.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  async #connectOnce(): Promise<void> {
    this.#setState('connecting');
    const abort = new AbortController();
    this.#abortConnect = abort;
    let publisher: Redis | undefined;
    let subscriber: Redis | undefined;
    try {
      const pipelining = this.#options.publishPipelining === 'auto' ? { enableAutoPipelining: true } : {};
      publisher = createRedisClient(this.#options, connectionNameFor('publisher', this.instanceId), pipelining);
      subscriber = createRedisClient(this.#options, connectionNameFor('subscriber', this.instanceId));
      this.#publisher = publisher;
      this.#subscriber = subscriber;
      this.#watch(publisher, 'publisher');
      this.#watch(subscriber, 'subscriber');
      subscriber.on('messageBuffer', this.#onMessage);
      await connectAndSubscribe({
        publisher,
        subscriber,
        channel: this.channel,
        timeoutMs: this.#options.connectTimeoutMs,
        signal: abort.signal,
        target: describeRedisTarget(this.#options),
        secrets: this.#secrets,
      });
    } catch (error) {
      this.#publisher = undefined;
      this.#subscriber = undefined;
      await Promise.all(
        [publisher, subscriber].map((client) => (client === undefined ? undefined : endRedisClient(client, 1_000))),
      );
      if (this.#state === 'connecting') this.#setState('idle');
      throw error;
    } finally {
      this.#abortConnect = undefined;
    }
    // close() may have started after the subscription was acknowledged: it ends the connections.
    if (this.#state !== 'connecting') throw new BridgeClosedError('EventBridge was closed while connect() was running');
    disableOfflineQueue(publisher);
    disableOfflineQueue(subscriber);
    this.#startHealthChecks(publisher, subscriber);
    // A connection may have dropped between the SUBSCRIBE acknowledgement and now: then this is already an outage.
    this.#subscribed = subscriber.status === 'ready';
    const down = (
      [
        ['publisher', publisher],
        ['subscriber', subscriber],
      ] as const
    ).filter(([, client]) => client.status !== 'ready');
    if (down.length === 0) {
      this.#setState('ready');
      return;
    }
    const connections = down.map(([role]) => role);
    this.#outage = { startedMs: performance.now(), cause: 'connection-lost', connections };
    this.#counters.outages++;
    this.#setState('reconnecting', { cause: 'connection-lost', outageMs: null, connections: [...connections] });
  }

  #startHealthChecks(publisher: Redis, subscriber: Redis): void {
    const { healthCheckIntervalMs: intervalMs, healthCheckTimeoutMs: timeoutMs } = this.#options;
    if (intervalMs === 0) return;
    const counters = this.#counters;
    const check = (client: Redis, role: ConnectionRole, activity: () => number): ConnectionHealthCheck =>
      new ConnectionHealthCheck(client, {
        intervalMs,
        timeoutMs,
        activity,
        onUnresponsive: (phase, waitedMs) => this.#onUnresponsive(client, role, phase, waitedMs),
      });
    this.#subscriberHealth = check(subscriber, 'subscriber', () => counters.received);
    this.#healthChecks = [check(publisher, 'publisher', () => counters.published), this.#subscriberHealth];
    for (const healthCheck of this.#healthChecks) healthCheck.start();
  }

  #onUnresponsive(client: Redis, role: ConnectionRole, phase: UnresponsivePhase, waitedMs: number): void {
    if (client !== this.#publisher && client !== this.#subscriber) return;
    if (this.#state === 'closing' || this.#state === 'closed') return;
    this.#counters.healthCheckFailures++;
    this.#logger.warn(
      { role, phase, waitedMs, healthCheckTimeoutMs: this.#options.healthCheckTimeoutMs },
      phase === 'ping'
        ? 'EventBridge: Redis did not answer PING in time (stopped, or the connection is half-open); reconnecting'
        : 'EventBridge: Redis did not complete the reconnect handshake in time; reconnecting again',
    );
    this.#connectionLost(role, 'health-check');
    dropConnection(client);
  }

  /** A connection dropped (or was dropped): `ready` becomes `reconnecting`, and the outage is timed from now. */
  #connectionLost(role: ConnectionRole, cause: OutageCause): void {
    const outage = this.#outage;
    if (outage !== undefined) {
      if (!outage.connections.includes(role)) outage.connections.push(role);
      return;
    }
    if (this.#state !== 'ready') return;
    this.#outage = { startedMs: performance.now(), cause, connections: [role] };
    this.#counters.outages++;
    this.#setState('reconnecting', { cause, outageMs: null, connections: [role] });
  }

  /** Why the subscriber closed: Redis hanging up on a subscriber that lagged behind is its output-buffer limit. */
  #subscriberCloseCause(): OutageCause {
    const health = this.#subscriberHealth;
    if (health === undefined) return 'connection-lost';
    const evidence = {
      publisherUp: this.#publisher?.status === 'ready',
      recentTraffic: health.recentlyActive,
      stalledRecently: health.stalledRecently,
      lastEventTsUs: this.#lastEventTsUs,
      nowUs: nowEpochUs(),
    };
    const verdict = classifySubscriberClose(evidence);
    const { publisherUp, recentTraffic, stalledRecently } = evidence;
    this.#logger.debug?.(
      { ...verdict, publisherUp, recentTraffic, stalledRecently },
      'EventBridge subscriber connection closed',
    );
    if (verdict.cause === 'output-buffer') {
      this.#counters.outputBufferDisconnects++;
      this.#logger.warn(
        { lagMs: verdict.lagMs, stalledRecently, outputBufferDisconnects: this.#counters.outputBufferDisconnects },
        'EventBridge: Redis closed the subscriber while it lagged behind the stream (client-output-buffer-limit pubsub: ' +
          'a slow consumer); events in its output buffer are lost; resubscribing',
      );
    }
    return verdict.cause;
  }

  async #closeOnce(): Promise<void> {
    const deadline = Date.now() + this.#options.closeTimeoutMs;
    for (const healthCheck of this.#healthChecks) healthCheck.stop();
    this.#outage = undefined;
    this.#setState('closing');
    this.#abortConnect?.abort();
    if (this.#connecting !== undefined) await this.#connecting.catch(noop);
    if (!(await this.#waitForDrain(deadline - Date.now()))) {
      this.#logger.warn(
        { pendingPublishes: this.#inFlight, closeTimeoutMs: this.#options.closeTimeoutMs },
        'EventBridge closed with publishes still pending',
      );
    }
    const { publisher, subscriber } = { publisher: this.#publisher, subscriber: this.#subscriber };
    if (subscriber !== undefined)
      await unsubscribeWithin(subscriber, this.channel, Math.max(deadline - Date.now(), 100));
    const quitMs = Math.max(deadline - Date.now(), 500);
    await Promise.all([
      publisher === undefined ? undefined : endRedisClient(publisher, quitMs),
      subscriber === undefined ? undefined : endRedisClient(subscriber, quitMs),
    ]);
    this.#subscribed = false;
    this.#setState('closed');
  }

  #waitForDrain(timeoutMs: number): Promise<boolean> {
    if (this.#inFlight === 0) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  #settlePublish(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  readonly #onPublished = (receivers: number): number => {
    this.#counters.published++;
    this.#settlePublish();
    return receivers;
  };

  readonly #onPublishFailed = (error: unknown): never => {
    this.#counters.publishFailed++;
    this.#settlePublish();
    const reason = redactSecrets(error instanceof Error ? error.message : String(error), this.#secrets);
    const denied = deniedPermission(reason);
    throw new BridgePublishError(
      denied === undefined
        ? `EventBridge could not publish on ${this.channel}: ${reason}. The event may not have been delivered; ` +
            'the bridge reconnects on its own, retry once its state is ready again.'
        : `EventBridge could not publish: ${describeDenied(denied, 'PUBLISH', this.channel)}. ` +
            'The event was not delivered; every publish fails until the permission is granted.',
      { cause: sanitizeError(error, this.#secrets) },
    );
  };

  readonly #onMessage = (_channel: Buffer, message: Buffer): void => {
    const counters = this.#counters;
    counters.received++;
    const result = decodeEnvelope(message, this.#options.maxPayloadBytes);
    if (!result.ok) {
      counters.malformed++;
      counters.malformedByKind[result.kind]++;
      if (shouldLogOccurrence(counters.malformed)) {
        this.#logger.warn(
          { kind: result.kind, reason: result.reason, malformed: counters.malformed, channel: this.channel },
          'EventBridge dropped a malformed message',
        );
      }
      return;
    }
    const envelope = result.envelope;
    this.#lastEventTsUs = envelope.ts;
    const identity = this.identity;
    if (envelope.src === identity.instanceId) {
      counters.selfEchoesFiltered++;
      if (envelope.nonce !== identity.nonce) this.#onCollision(envelope.nonce, envelope.pid, envelope.host);
      this.#options.onSelfEcho?.(envelope.type, envelope.data, metaFromEnvelope(envelope));
      return;
    }
    if (envelope.nonce === identity.nonce && envelope.pid === identity.pid && envelope.host === identity.host) {
      counters.selfReceived++;
    }
    counters.deliveredToHandlers++;
    this.#handlers.dispatch(envelope);
  };

  #onCollision(otherNonce: string, otherPid: number, otherHost: string): void {
    this.#counters.identityCollisions++;
    if (this.#collisionReported) return;
    this.#collisionReported = true;
    const info: CollisionInfo = {
      instanceId: this.identity.instanceId,
      ownNonce: this.identity.nonce,
      otherNonce,
      otherPid,
      otherHost,
    };
    this.#logger.error(
      { ...info },
      'EventBridge: another bridge publishes under this instance id; its events are filtered as self echoes. Give every bridge a unique instanceId.',
    );
    this.#emitLifecycle('collision', info);
  }

  readonly #onHandlerError = (error: unknown, meta: Readonly<EventMeta>): void => {
    this.#counters.handlerErrors++;
    if (shouldLogOccurrence(this.#counters.handlerErrors)) {
      this.#logger.error(
        { err: error, type: meta.type, eventId: meta.id, handlerErrors: this.#counters.handlerErrors },
        'EventBridge event handler threw',
      );
    }
  };

  #watch(client: Redis, role: ConnectionRole): void {
    const current = (): boolean => client === this.#publisher || client === this.#subscriber;
    /** Whether this connection reached ready since it last closed: its command queue then holds our commands only. */
    let up = false;
    client.on('error', (error: unknown) => {
      this.#connectionErrors++;
      if (current() && shouldLogOccurrence(this.#connectionErrors)) {
        this.#logger.warn({ role, err: sanitizeError(error, this.#secrets) }, 'EventBridge Redis connection error');
      }
    });
    client.on('close', () => {
      const wasUp = up;
      up = false;
      // PUBLISHes (and PINGs) Redis never answered: rejected, never resent (Redis may have run them).
      if (wasUp) rejectUnanswered(client, new Error(`the ${role} connection to Redis closed before Redis replied`));
      if (!current()) return;
      if (role === 'subscriber') this.#subscribed = false;
      if (this.#state === 'ready') {
        this.#connectionLost(role, role === 'subscriber' && wasUp ? this.#subscriberCloseCause() : 'connection-lost');
      } else if (this.#state === 'reconnecting') {
        this.#connectionLost(role, 'connection-lost');
      }
    });
    client.on('ready', () => {
      up = true;
      if (!current() || this.#state !== 'reconnecting') return;
      if (role === 'publisher') {
        this.#maybeReady();
        return;
      }
      this.#resubscribe(client);
    });
    client.on('end', () => {
      if (!current() || (this.#state !== 'ready' && this.#state !== 'reconnecting')) return;
      this.#logger.error(
        { role },
        'EventBridge Redis connection ended for good (retryStrategy gave up); closing the bridge',
      );
      void this.close();
    });
  }

  /** SUBSCRIBE on a reconnected subscriber (once: autoResubscribe is off); `ready` waits for the acknowledgement. */
  #resubscribe(client: Redis): void {
    client.subscribe(this.channel).then(
      () => {
        if (client !== this.#subscriber || client.status !== 'ready') return;
        this.#subscribed = true;
        this.#maybeReady();
      },
      (error: unknown) => {
        if (client !== this.#subscriber || client.status !== 'ready' || this.#state !== 'reconnecting') return;
        const reason = redactSecrets(error instanceof Error ? error.message : String(error), this.#secrets);
        const denied = deniedPermission(reason);
        this.#connectionErrors++;
        if (shouldLogOccurrence(this.#connectionErrors)) {
          this.#logger.error(
            { err: sanitizeError(error, this.#secrets) },
            denied === undefined
              ? `EventBridge could not resubscribe to ${this.channel}: ${reason}; reconnecting to retry`
              : `EventBridge could not resubscribe: ${describeDenied(denied, 'SUBSCRIBE', this.channel)}; reconnecting to retry`,
          );
        }
        // Through a reconnect, so ioredis's retryStrategy paces the retries.
        dropConnection(client);
      },
    );
  }

  #maybeReady(): void {
    if (
      this.#state !== 'reconnecting' ||
      !this.#subscribed ||
      this.#publisher?.status !== 'ready' ||
      this.#subscriber?.status !== 'ready'
    )
      return;
    const outage = this.#outage;
    this.#outage = undefined;
    if (outage === undefined) {
      this.#setState('ready');
      return;
    }
    const info: RecoveryInfo = {
      cause: outage.cause,
      outageMs: Math.round(performance.now() - outage.startedMs),
      connections: outage.connections,
    };
    this.#counters.recoveries++;
    this.#setState('ready', info);
    this.#emitLifecycle('recovered', info);
  }

  #setState(next: BridgeState, change: StateChange = NO_STATE_CHANGE): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#emitLifecycle('state', next, previous, change);
  }

  #emitLifecycle<K extends keyof BridgeLifecycleEvents>(event: K, ...args: BridgeLifecycleEvents[K]): void {
    try {
      (this.lifecycle.emit as (event: K, ...args: BridgeLifecycleEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#logger.error({ err: error, event }, 'EventBridge lifecycle listener threw');
    }
  }
}
