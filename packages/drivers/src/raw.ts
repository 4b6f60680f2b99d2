// The `raw` driver, the floor the bridges are judged against: plain ioredis PUBLISH/SUBSCRIBE of a minimal JSON
// message. Not what is measured elsewhere: no envelope, no validation, no identity scheme beyond a random id; a bare
// source-id compare drops own echoes, the least any self-filtering bridge must do.
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
import { Redis } from 'ioredis';
import { type RawMessage, countPublish, receiveRawMessage } from './raw-message.js';
import { StateReporter, ioredisTls, nameTag, reportReconnects } from './support.js';

class RawDriver implements Driver {
  readonly instanceId: string;
  readonly host = hostname();
  nextSeq = 0;
  readonly #context: DriverContext;
  readonly #channel: string;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #state: StateReporter;
  readonly #counters = { published: 0, publishFailed: 0, received: 0, selfEchoesFiltered: 0, malformed: 0 };

  constructor(context: DriverContext) {
    this.#context = context;
    this.instanceId = context.instanceId ?? `raw:${this.host}:${process.pid}:${randomBytes(6).toString('base64url')}`;
    // The bridge's channel name, so the coordinator's subscriber count reads either the same way.
    this.#channel = channelFor(context.namespace);
    const tag = nameTag(this.instanceId);
    const options = { lazyConnect: true, ...ioredisTls(context) };
    this.#publisher = new Redis(context.redisUrl, { ...options, connectionName: `raw:pub:${tag}` });
    this.#subscriber = new Redis(context.redisUrl, { ...options, connectionName: `raw:sub:${tag}` });
    for (const client of [this.#publisher, this.#subscriber]) {
      client.on('error', (error: Error) => context.logger.warn({ err: error.message }, 'raw driver connection error'));
    }
    this.#state = new StateReporter(context.sink);
    reportReconnects(this.#state, [this.#publisher, this.#subscriber], () =>
      [this.#publisher, this.#subscriber].every((client) => client.status === 'ready'),
    );
    this.#subscriber.on('message', this.#onMessage);
  }

  async connect(): Promise<void> {
    this.#state.set('connecting');
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    await this.#subscriber.subscribe(this.#channel);
    this.#state.set('ready');
  }

  publish(type: string, data: unknown): Promise<number> {
    const message: RawMessage = { s: this.instanceId, q: this.nextSeq++, t: type, d: data };
    return countPublish(this.#publisher.publish(this.#channel, JSON.stringify(message)), this.#counters);
  }

  #onMessage = (_channel: string, text: string): void =>
    receiveRawMessage(text, this.instanceId, this.#counters, this.#context.sink);

  counters(): DriverCounters {
    return { ...this.#counters };
  }

  connections(): DriverConnection[] {
    return [
      { role: 'publisher', name: String(this.#publisher.options.connectionName) },
      { role: 'subscriber', name: String(this.#subscriber.options.connectionName) },
    ];
  }

  async close(): Promise<void> {
    if (this.#state.state !== 'closed') this.#state.set('closing');
    await Promise.allSettled([this.#subscriber.quit(), this.#publisher.quit()]);
    this.#subscriber.disconnect();
    this.#publisher.disconnect();
    this.#state.set('closed');
  }
}

export default defineDriver({
  apiVersion: 1,
  name: 'raw',
  description: 'the floor: plain ioredis PUBLISH/SUBSCRIBE of {s, q, t, d} JSON, ioredis defaults, two connections',
  identityScheme: 'raw:host:pid:nonce, 48 random bits per instance',
  capabilities: {
    receiverCount: true,
    ownEchoes: true,
    namedConnections: true,
    instanceIdOverride: true,
    sentinel: false,
    cluster: false,
  },
  create: (context) => new RawDriver(context),
});
