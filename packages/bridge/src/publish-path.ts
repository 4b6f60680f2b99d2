// The publish path: encode, size-check, number and send an event (alone, or in its turn's batch); count publishes in flight and failures.

import type { ChannelTransport } from './channel-transport.js';
import { nowEpochUs } from './clock.js';
import type { BridgeCounters } from './counters.js';
import { utf8ByteLength } from './envelope.js';
import { EnvelopeEncoder } from './envelope-encoder.js';
import { BridgeNotReadyError, BridgePublishError } from './errors.js';
import type { BridgeIdentity } from './identity.js';
import type { ResolvedBridgeOptions } from './options.js';
import { deniedPermission, describeDenied } from './permission.js';
import { PublishCoalescer } from './publish-coalescer.js';
import { redactSecrets, sanitizeError } from './redact.js';
import type { BridgeState } from './state.js';

export class PublishPath {
  readonly #options: ResolvedBridgeOptions;
  readonly #counters: BridgeCounters;
  readonly #secrets: readonly string[];
  readonly #encoder: EnvelopeEncoder;
  /** Set with `coalesce: 'tick'`: events go into their turn's batch instead of a PUBLISH each. */
  readonly #coalescer: PublishCoalescer | undefined;
  #seq = 0;
  #inFlight = 0;
  #drainWaiters: (() => void)[] = [];
  /** The commands of the transport that took the latest publish, for the permission hint of its failure. */
  #publishCommand = 'PUBLISH';

  constructor(
    options: ResolvedBridgeOptions,
    identity: Readonly<BridgeIdentity>,
    counters: BridgeCounters,
    secrets: readonly string[],
  ) {
    this.#options = options;
    this.#counters = counters;
    this.#secrets = secrets;
    this.#encoder = new EnvelopeEncoder(identity);
    this.#coalescer =
      options.coalesce === 'tick'
        ? new PublishCoalescer({
            head: this.#encoder.batchHead,
            tail: this.#encoder.batchTail,
            maxEvents: options.coalesceMaxEvents,
            maxBytes: options.maxPayloadBytes,
          })
        : undefined;
  }

  /** The sequence number the next successful publish will carry. */
  get nextSeq(): number {
    return this.#seq;
  }

  /** Publishes sent to Redis and not yet acknowledged. */
  get pending(): number {
    return this.#inFlight;
  }

  /** Reject with BridgeNotReadyError: the bridge fails fast instead of queueing while not `ready`. */
  notReady(state: BridgeState): Promise<never> {
    this.#counters.publishFailed++;
    this.#counters.publishNotReady++;
    return Promise.reject(new BridgeNotReadyError(state));
  }

  /** Publish one event through `transport`; see EventBridge.publish for what it resolves and rejects with. */
  publish(transport: ChannelTransport, type: string, data: unknown): Promise<number> {
    if (typeof type !== 'string' || type.length === 0) {
      this.#counters.publishFailed++;
      return Promise.reject(new TypeError('publish() type must be a non-empty string'));
    }
    if (this.#coalescer !== undefined) return this.#publishCoalesced(this.#coalescer, transport, type, data);
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
    if (bytes > max) return this.#oversized(type, bytes);
    return this.#sent(transport, seq, transport.publish(payload));
  }

  /** `coalesce: 'tick'`: the event joins its turn's batch, and settles with the PUBLISH that carries the batch. */
  #publishCoalesced(
    coalescer: PublishCoalescer,
    transport: ChannelTransport,
    type: string,
    data: unknown,
  ): Promise<number> {
    const seq = this.#seq;
    let event: string;
    try {
      event = this.#encoder.encodeBatchEvent(seq, nowEpochUs(), type, data);
    } catch (error) {
      this.#counters.publishFailed++;
      return Promise.reject(error);
    }
    // Exact bytes, not utf8ByteLength's shortcut: the batch adds them up against maxPayloadBytes.
    const eventBytes = Buffer.byteLength(event, 'utf8');
    const loneBytes = coalescer.loneBatchBytes(eventBytes);
    if (loneBytes > this.#options.maxPayloadBytes) return this.#oversized(type, loneBytes);
    return this.#sent(transport, seq, coalescer.add(transport, event, eventBytes));
  }

  /** The event numbered `seq` is on its way (`sending`): take its number, count it in flight until it settles. */
  #sent(transport: ChannelTransport, seq: number, sending: Promise<number>): Promise<number> {
    this.#seq = seq + 1;
    this.#inFlight++;
    this.#publishCommand = transport.commands.publish;
    return sending.then(this.#onPublished, this.#onPublishFailed);
  }

  #oversized(type: string, bytes: number): Promise<never> {
    const max = this.#options.maxPayloadBytes;
    this.#counters.publishFailed++;
    return Promise.reject(
      new TypeError(
        `event '${type}' encodes to ${bytes} bytes, above options.maxPayloadBytes (${max}): ` +
          'publish a reference to the data instead, or raise maxPayloadBytes on every bridge of the namespace',
      ),
    );
  }

  /** Wait until no publish is in flight, at most `timeoutMs`; logs a warning and resolves when time runs out. */
  async drain(timeoutMs: number): Promise<void> {
    if (await this.#waitForDrain(timeoutMs)) return;
    this.#options.logger.warn(
      { pendingPublishes: this.#inFlight, closeTimeoutMs: this.#options.closeTimeoutMs },
      'EventBridge closed with publishes still pending',
    );
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
    const channel = this.#options.channel;
    const reason = redactSecrets(error instanceof Error ? error.message : String(error), this.#secrets);
    const denied = deniedPermission(reason);
    throw new BridgePublishError(
      denied === undefined
        ? `EventBridge could not publish on ${channel}: ${reason}. The event may not have been delivered; ` +
            'the bridge reconnects on its own, retry once its state is ready again.'
        : `EventBridge could not publish: ${describeDenied(denied, this.#publishCommand, channel)}. ` +
            'The event was not delivered; every publish fails until the permission is granted.',
      { cause: sanitizeError(error, this.#secrets) },
    );
  };
}
