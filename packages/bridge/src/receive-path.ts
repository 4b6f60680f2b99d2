// The receive path: decode, validate, self-filter, spot identity collisions, dispatch, and count each message once.

import type { BridgeCounters } from './counters.js';
import { decodeEnvelope, metaFromEnvelope, type EventMeta } from './envelope.js';
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

  readonly receive: MessageSink = (message) => {
    const counters = this.#counters;
    counters.received++;
    const result = decodeEnvelope(message, this.#options.maxPayloadBytes);
    if (!result.ok) {
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
    const envelope = result.envelope;
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
  };

  #onCollision(otherNonce: string, otherPid: number, otherHost: string): void {
    this.#counters.identityCollisions++;
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
