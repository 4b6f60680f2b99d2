// The receive path: decode, validate, self-filter, spot identity collisions, dispatch, and count each event once.

import type { BridgeCounters } from './counters.js';
import { metaFromEnvelope, type Envelope, type EventMeta } from './envelope.js';
import { decodeMessage, envelopeOfBatchEvent, type BatchEnvelope } from './envelope-batch.js';
import { HandlerRegistry } from './handlers.js';
import type { BridgeIdentity } from './identity.js';
import type { CollisionInfo, Lifecycle } from './lifecycle.js';
import { shouldLogOccurrence } from './logger.js';
import type { ResolvedBridgeOptions } from './options.js';

/** Where a channel transport hands each message, raw, as it arrived. */
export type MessageSink = (message: Buffer) => void;

export class ReceivePath {
  /** The handlers `on()` and `onAny()` register. */
  readonly handlers: HandlerRegistry;
  readonly #options: ResolvedBridgeOptions;
  readonly #identity: Readonly<BridgeIdentity>;
  readonly #counters: BridgeCounters;
  readonly #lifecycle: Lifecycle;
  #collisionReported = false;
  #lastEventTsUs: number | undefined;

  constructor(
    options: ResolvedBridgeOptions,
    identity: Readonly<BridgeIdentity>,
    counters: BridgeCounters,
    lifecycle: Lifecycle,
  ) {
    this.#options = options;
    this.#identity = identity;
    this.#counters = counters;
    this.#lifecycle = lifecycle;
    this.handlers = new HandlerRegistry(this.#onHandlerError);
  }

  /** Envelope `ts` of the newest valid event received: how far behind the subscriber is when Redis closes it. */
  get lastEventTsUs(): number | undefined {
    return this.#lastEventTsUs;
  }

  /**
   * Every message is one of: malformed (counted once, whatever it held), a v1 envelope (one event) or a v2 batch
   * (each of its events counted, filtered and dispatched one by one, in order), so that
   * `received == selfEchoesFiltered + malformed + deliveredToHandlers` holds in events.
   */
  readonly receive: MessageSink = (message) => {
    const counters = this.#counters;
    const result = decodeMessage(message, this.#options.maxPayloadBytes);
    if (!result.ok) {
      counters.received++;
      counters.malformed++;
      counters.malformedByKind[result.kind]++;
      if (shouldLogOccurrence(counters.malformed)) {
        this.#options.logger.warn(
          { kind: result.kind, reason: result.reason, malformed: counters.malformed, channel: this.#options.channel },
          'EventBridge dropped a malformed message',
        );
      }
      return;
    }
    if (result.batch !== undefined) this.#receiveBatch(result.batch);
    else this.#receiveEvent(result.envelope);
  };

  #receiveEvent(envelope: Envelope): void {
    const counters = this.#counters;
    counters.received++;
    this.#lastEventTsUs = envelope.ts;
    const identity = this.#identity;
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
    this.handlers.dispatch(envelope);
  }

  /** A batch: every event as #receiveEvent would take it alone, the source checked once for the whole batch. */
  #receiveBatch(batch: BatchEnvelope): void {
    const counters = this.#counters;
    const events = batch.events;
    const count = events.length;
    counters.received += count;
    this.#lastEventTsUs = events[count - 1]?.ts ?? this.#lastEventTsUs;
    const identity = this.#identity;
    if (batch.src === identity.instanceId) {
      counters.selfEchoesFiltered += count;
      if (batch.nonce !== identity.nonce) this.#onCollision(batch.nonce, batch.pid, batch.host, count);
      const onSelfEcho = this.#options.onSelfEcho;
      if (onSelfEcho !== undefined) {
        for (const event of events)
          onSelfEcho(event.type, event.data, metaFromEnvelope(envelopeOfBatchEvent(batch, event)));
      }
      return;
    }
    if (batch.nonce === identity.nonce && batch.pid === identity.pid && batch.host === identity.host) {
      counters.selfReceived += count;
    }
    counters.deliveredToHandlers += count;
    for (const event of events) this.handlers.dispatch(envelopeOfBatchEvent(batch, event));
  }

  /** `events` events (one, or a batch's) carried this bridge's instance id and another nonce. */
  #onCollision(otherNonce: string, otherPid: number, otherHost: string, events = 1): void {
    this.#counters.identityCollisions += events;
    if (this.#collisionReported) return;
    this.#collisionReported = true;
    const info: CollisionInfo = {
      instanceId: this.#identity.instanceId,
      ownNonce: this.#identity.nonce,
      otherNonce,
      otherPid,
      otherHost,
    };
    this.#options.logger.error(
      { ...info },
      'EventBridge: another bridge publishes under this instance id; its events are filtered as self echoes. Give every bridge a unique instanceId.',
    );
    this.#lifecycle.emit('collision', info);
  }

  readonly #onHandlerError = (error: unknown, meta: Readonly<EventMeta>): void => {
    this.#counters.handlerErrors++;
    if (shouldLogOccurrence(this.#counters.handlerErrors)) {
      this.#options.logger.error(
        { err: error, type: meta.type, eventId: meta.id, handlerErrors: this.#counters.handlerErrors },
        'EventBridge event handler threw',
      );
    }
  };
}
