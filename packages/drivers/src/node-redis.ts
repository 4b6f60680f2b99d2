// The `node-redis` driver, a second floor: raw like `raw`, on the `redis` package (node-redis, the client Redis
// itself recommends) instead of ioredis: the same {s, q, t, d} JSON, a publishing client and a subscribing duplicate.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { channelFor } from '@evbridge/bridge';
import {
  type Driver,
  type DriverConnection,
  type DriverContext,
  type DriverCounters,
  defineDriver,
} from '@evbridge/driver';
import { createClient } from 'redis';
import { type RawMessage, countPublish, receiveRawMessage } from './raw-message.js';
import { StateReporter, nameTag, reportReconnects } from './support.js';

type Client = ReturnType<typeof createClient>;

class NodeRedisDriver implements Driver {
  readonly instanceId: string;
  readonly host = hostname();
  nextSeq = 0;
  readonly #context: DriverContext;
  readonly #channel: string;
  readonly #publisher: Client;
  readonly #subscriber: Client;
  readonly #names: { publisher: string; subscriber: string };
  readonly #state: StateReporter;
  readonly #counters = { published: 0, publishFailed: 0, received: 0, selfEchoesFiltered: 0, malformed: 0 };

  constructor(context: DriverContext) {
    this.#context = context;
    this.instanceId =
      context.instanceId ?? `node-redis:${this.host}:${process.pid}:${randomBytes(6).toString('base64url')}`;
    this.#channel = channelFor(context.namespace);
    const tag = nameTag(this.instanceId);
    this.#names = { publisher: `node-redis:pub:${tag}`, subscriber: `node-redis:sub:${tag}` };
    const tls = context.redisTls === undefined ? {} : { socket: { tls: true as const, ca: context.redisTls.caPem } };
    this.#publisher = createClient({ url: context.redisUrl, name: this.#names.publisher, ...tls });
    this.#subscriber = this.#publisher.duplicate({ name: this.#names.subscriber });
    for (const client of [this.#publisher, this.#subscriber]) {
      client.on('error', (error: Error) =>
        context.logger.warn({ err: error.message }, 'node-redis driver connection error'),
      );
    }
    this.#state = new StateReporter(context.sink);
    reportReconnects(this.#state, [this.#publisher, this.#subscriber], () =>
      [this.#publisher, this.#subscriber].every((client) => client.isReady),
    );
  }

  async connect(): Promise<void> {
    this.#state.set('connecting');
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    // Resolves once Redis acknowledged SUBSCRIBE; node-redis resubscribes by itself after a reconnect.
    await this.#subscriber.subscribe(this.#channel, this.#onMessage);
    this.#state.set('ready');
  }

  publish(type: string, data: unknown): Promise<number> {
    const message: RawMessage = { s: this.instanceId, q: this.nextSeq++, t: type, d: data };
    return countPublish(this.#publisher.publish(this.#channel, JSON.stringify(message)), this.#counters);
  }

  #onMessage = (text: string): void => receiveRawMessage(text, this.instanceId, this.#counters, this.#context.sink);

  counters(): DriverCounters {
    return { ...this.#counters };
  }

  connections(): DriverConnection[] {
    return [
      { role: 'publisher', name: this.#names.publisher },
      { role: 'subscriber', name: this.#names.subscriber },
    ];
  }

  async close(): Promise<void> {
    if (this.#state.state !== 'closed') this.#state.set('closing');
    const open = [this.#subscriber, this.#publisher].filter((client) => client.isOpen);
    await Promise.allSettled(open.map((client) => client.close()));
    for (const client of open) if (client.isOpen) client.destroy();
    this.#state.set('closed');
  }
}

export default defineDriver({
  apiVersion: 1,
  name: 'node-redis',
  description:
    'a second floor: plain node-redis (the redis package) PUBLISH/SUBSCRIBE of {s, q, t, d} JSON, two connections',
  identityScheme: 'node-redis:host:pid:nonce, 48 random bits per instance',
  capabilities: {
    receiverCount: true,
    ownEchoes: true,
    namedConnections: true,
    instanceIdOverride: true,
    sentinel: false,
    cluster: false,
  },
  create: (context) => new NodeRedisDriver(context),
});
