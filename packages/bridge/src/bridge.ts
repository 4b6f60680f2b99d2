// EventBridge: typed publish/subscribe of events between service instances over one Redis channel.

import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { nowEpochUs } from './clock.js';
import { connectAndSubscribe } from './connect.js';
import { createCounters, snapshotCounters, type BridgeCounters } from './counters.js';
import { decodeEnvelope, encodeEnvelope, ENVELOPE_VERSION, eventId, metaFromEnvelope, utf8ByteLength, type EventMeta } from './envelope.js';
import { BridgeClosedError, BridgeNotReadyError, BridgePublishError } from './errors.js';
import { HandlerRegistry, type AnyEventHandler, type EventHandler } from './handlers.js';
import { createIdentity, type BridgeIdentity } from './identity.js';
import { shouldLogOccurrence, type BridgeLogger } from './logger.js';
import { resolveBridgeOptions, type BridgeOptions, type ResolvedBridgeOptions } from './options.js';
import { deniedPermission, describeDenied } from './permission.js';
import { redactSecrets, sanitizeError } from './redact.js';
import {
  collectSecrets,
  connectionNameFor,
  createRedisClient,
  describeRedisTarget,
  endRedisClient,
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
  state: [state: BridgeState, previous: BridgeState];
  collision: [info: CollisionInfo];
}

const noop = (): void => {};

/**
 * A bridge between the instances of a service: `publish(type, data)` reaches every other bridge of the
 * namespace (never the sender itself), `on(type, handler)` receives theirs.
 *
 * Publishing policy: fail fast. `publish()` rejects with `BridgeNotReadyError` unless the state is `ready`;
 * nothing is queued while connecting or reconnecting.
 */
export class EventBridge<Events extends Record<string, unknown> = Record<string, unknown>> {
  /** Lifecycle events: `'state'` (state, previous) and `'collision'` (once). Listener errors are logged, not thrown. */
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
  #inFlight = 0;
  #drainWaiters: (() => void)[] = [];
  #connecting: Promise<void> | undefined;
  #abortConnect: AbortController | undefined;
  #closing: Promise<void> | undefined;
  #collisionReported = false;
  #connectionErrors = 0;

  constructor(options: BridgeOptions) {
    this.#options = resolveBridgeOptions(options);
    this.#logger = this.#options.logger;
    this.#secrets = collectSecrets(this.#options);
    this.namespace = this.#options.namespace;
    this.channel = this.#options.channel;
    this.identity = Object.freeze(createIdentity({ instanceId: this.#options.instanceId, host: this.#options.host }));
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
        return Promise.reject(new BridgeClosedError('connect() was called on a closed EventBridge: create a new EventBridge'));
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
      return Promise.reject(new BridgeNotReadyError(this.#state));
    }
    if (typeof type !== 'string' || type.length === 0) {
      this.#counters.publishFailed++;
      return Promise.reject(new TypeError('publish() type must be a non-empty string'));
    }
    const { instanceId, pid, host, nonce } = this.identity;
    const seq = this.#seq;
    let payload: string;
    try {
      payload = encodeEnvelope({ v: ENVELOPE_VERSION, id: eventId(instanceId, seq), src: instanceId, pid, host, nonce, seq, ts: nowEpochUs(), type, data });
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
    return publisher.publish(this.channel, payload).then(this.#onPublished, this.#onPublishFailed);
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
      publisher = createRedisClient(this.#options, connectionNameFor('publisher', this.instanceId));
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
      await Promise.all([publisher, subscriber].map((client) => (client === undefined ? undefined : endRedisClient(client, 1_000))));
      if (this.#state === 'connecting') this.#setState('idle');
      throw error;
    } finally {
      this.#abortConnect = undefined;
    }
    // close() may have started after the subscription was acknowledged: it ends the connections.
    if (this.#state !== 'connecting') throw new BridgeClosedError('EventBridge was closed while connect() was running');
    this.#subscribed = true;
    this.#setState(publisher.status === 'ready' && subscriber.status === 'ready' ? 'ready' : 'reconnecting');
  }

  async #closeOnce(): Promise<void> {
    const deadline = Date.now() + this.#options.closeTimeoutMs;
    this.#setState('closing');
    this.#abortConnect?.abort();
    if (this.#connecting !== undefined) await this.#connecting.catch(noop);
    if (!(await this.#waitForDrain(deadline - Date.now()))) {
      this.#logger.warn({ pendingPublishes: this.#inFlight, closeTimeoutMs: this.#options.closeTimeoutMs }, 'EventBridge closed with publishes still pending');
    }
    const { publisher, subscriber } = { publisher: this.#publisher, subscriber: this.#subscriber };
    if (subscriber !== undefined) await unsubscribeWithin(subscriber, this.channel, Math.max(deadline - Date.now(), 100));
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
        this.#logger.warn({ kind: result.kind, reason: result.reason, malformed: counters.malformed, channel: this.channel }, 'EventBridge dropped a malformed message');
      }
      return;
    }
    const envelope = result.envelope;
    const identity = this.identity;
    if (envelope.src === identity.instanceId) {
      counters.selfEchoesFiltered++;
      if (envelope.nonce !== identity.nonce) this.#onCollision(envelope.nonce, envelope.pid, envelope.host);
      else this.#options.onSelfEcho?.(envelope.type, envelope.data, metaFromEnvelope(envelope));
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
    const info: CollisionInfo = { instanceId: this.identity.instanceId, ownNonce: this.identity.nonce, otherNonce, otherPid, otherHost };
    this.#logger.error({ ...info }, 'EventBridge: another bridge publishes under this instance id; its events are filtered as self echoes. Give every bridge a unique instanceId.');
    this.#emitLifecycle('collision', info);
  }

  readonly #onHandlerError = (error: unknown, meta: Readonly<EventMeta>): void => {
    this.#counters.handlerErrors++;
    if (shouldLogOccurrence(this.#counters.handlerErrors)) {
      this.#logger.error({ err: error, type: meta.type, eventId: meta.id, handlerErrors: this.#counters.handlerErrors }, 'EventBridge event handler threw');
    }
  };

  #watch(client: Redis, role: ConnectionRole): void {
    const current = (): boolean => client === this.#publisher || client === this.#subscriber;
    client.on('error', (error: unknown) => {
      this.#connectionErrors++;
      if (current() && shouldLogOccurrence(this.#connectionErrors)) {
        this.#logger.warn({ role, err: sanitizeError(error, this.#secrets) }, 'EventBridge Redis connection error');
      }
    });
    client.on('close', () => {
      if (!current()) return;
      if (role === 'subscriber') this.#subscribed = false;
      if (this.#state === 'ready') this.#setState('reconnecting');
    });
    client.on('ready', () => {
      if (!current() || this.#state !== 'reconnecting') return;
      if (role === 'publisher') {
        this.#maybeReady();
        return;
      }
      // ioredis resubscribes on its own but does not say when it is acknowledged; SUBSCRIBE is idempotent.
      client.subscribe(this.channel).then(
        () => {
          this.#subscribed = true;
          this.#maybeReady();
        },
        (error: unknown) => {
          this.#logger.warn({ err: sanitizeError(error, this.#secrets) }, 'EventBridge could not resubscribe; waiting for the next reconnect');
        },
      );
    });
    client.on('end', () => {
      if (!current() || (this.#state !== 'ready' && this.#state !== 'reconnecting')) return;
      this.#logger.error({ role }, 'EventBridge Redis connection ended for good (retryStrategy gave up); closing the bridge');
      void this.close();
    });
  }

  #maybeReady(): void {
    if (this.#state === 'reconnecting' && this.#subscribed && this.#publisher?.status === 'ready' && this.#subscriber?.status === 'ready') {
      this.#setState('ready');
    }
  }

  #setState(next: BridgeState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#emitLifecycle('state', next, previous);
  }

  #emitLifecycle<K extends keyof BridgeLifecycleEvents>(event: K, ...args: BridgeLifecycleEvents[K]): void {
    try {
      (this.lifecycle.emit as (event: K, ...args: BridgeLifecycleEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#logger.error({ err: error, event }, 'EventBridge lifecycle listener threw');
    }
  }
}
