// The floor the bridge is judged against: the baseline raw probe, plain ioredis PUBLISH/SUBSCRIBE of a
// minimal JSON message.
// Shared with the bridge worker, because they are not what is measured: the clock (monotonicNowUs), the latency
// recorders and delivery ledger (Measurement), the payload ({i, s, p}), the schedule (event i of worker k is due at
// t0 + phase(k) + i/rate), the pacer (--pacer, the same for both), the session and its IPC protocol, the worker
// process and its Node flags.
// Not shared, because they are what is measured: the publish path (one plain PUBLISH per event, ioredis defaults, no
// pipelining), the wire format (no envelope: source id, sequence, type, data) and the receive path (JSON.parse and
// nothing else: no validation, no identity scheme; a bare source-id compare drops own echoes, the least any
// self-filtering bridge must do).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { channelFor } from '@evbridge/bridge';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type BridgeCountersMessage, emptyBridgeCounters } from '@evbridge/protocol';
import { pidInstanceId, tlsOptions, type Transport, type TransportConfig, type TransportSink } from './transport.js';

/** The raw message: source id, sequence, type, data. */
interface RawMessage {
  s: string;
  q: number;
  t: string;
  d: unknown;
}

export class RawTransport implements Transport {
  readonly kind = 'raw';
  readonly instanceId: string;
  readonly host = hostname();
  readonly #channel: string;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  #seq = 0;
  readonly #counters: BridgeCountersMessage = emptyBridgeCounters();

  constructor(
    config: TransportConfig,
    private readonly sink: TransportSink,
    private readonly logger: Logger,
  ) {
    this.instanceId =
      pidInstanceId(config) ?? `raw:${hostname()}:${process.pid}:${randomBytes(6).toString('base64url')}`;
    // The bridge's channel name, so the coordinator's PUBSUB NUMSUB check counts either transport the same way.
    this.#channel = channelFor(config.namespace);
    this.#publisher = new Redis(config.redisUrl, { lazyConnect: true, ...tlsOptions(config) });
    this.#subscriber = new Redis(config.redisUrl, { lazyConnect: true, ...tlsOptions(config) });
    for (const client of [this.#publisher, this.#subscriber]) {
      client.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'raw transport connection error'));
    }
    this.#subscriber.on('message', this.#onMessage);
  }

  get nextSeq(): number {
    return this.#seq;
  }

  async connect(): Promise<void> {
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    await this.#subscriber.subscribe(this.#channel);
  }

  publish(type: string, data: unknown): Promise<number> {
    const message: RawMessage = { s: this.instanceId, q: this.#seq++, t: type, d: data };
    return this.#publisher.publish(this.#channel, JSON.stringify(message)).then(
      (receivers) => {
        this.#counters.published += 1;
        return receivers;
      },
      (error: unknown) => {
        this.#counters.publishFailed += 1;
        throw error;
      },
    );
  }

  #onMessage = (_channel: string, text: string): void => {
    const counters = this.#counters;
    counters.received += 1;
    let message: RawMessage;
    try {
      message = JSON.parse(text) as RawMessage;
    } catch {
      counters.malformed += 1;
      return;
    }
    if (message.s === this.instanceId) {
      counters.selfEchoesFiltered += 1;
      this.sink.onSelfEcho(message.t, message.d);
      return;
    }
    counters.deliveredToHandlers += 1;
    this.sink.onEvent(message.t, message.d, message.s, message.q);
  };

  counters(): BridgeCountersMessage {
    return { ...this.#counters };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#subscriber.quit(), this.#publisher.quit()]);
    this.#subscriber.disconnect();
    this.#publisher.disconnect();
  }
}
