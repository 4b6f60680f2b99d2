// An example driver, written from docs/drivers.md alone: a small JSON pub/sub bridge on ioredis, complete enough to
// pass the conformance kit. Run it: pnpm harness --driver packages/driver/examples/example-driver.js --conformance
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';

/** @type {import('@evbridge/driver').DriverDefinition} */
export default {
  apiVersion: 1,
  name: 'example',
  description: 'the docs/drivers.md example: JSON over one Redis pub/sub channel, ioredis',
  identityScheme: 'host:pid:12 random hex characters, made per instance',
  capabilities: { receiverCount: true, ownEchoes: true, namedConnections: true, instanceIdOverride: true },
  create: (context) => new ExampleDriver(context),
};

/** @implements {import('@evbridge/driver').Driver} */
class ExampleDriver {
  /** @param {import('@evbridge/driver').DriverContext} context */
  constructor(context) {
    this.instanceId = context.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
    this.host = hostname();
    this.nextSeq = 0;
    this.sink = context.sink;
    this.logger = context.logger;
    this.channel = `${context.namespace}:example`;
    this.state = 'closed';
    this.counts = { published: 0, publishFailed: 0, received: 0, selfEchoesFiltered: 0, malformed: 0 };
    const tls = context.redisTls ? { tls: { ca: context.redisTls.caPem } } : {};
    const tag = this.instanceId.replace(/[^!-~]/g, '_');
    // lazyConnect: create() must not connect; connect() does.
    this.publisher = new Redis(context.redisUrl, { lazyConnect: true, connectionName: `example:pub:${tag}`, ...tls });
    this.subscriber = new Redis(context.redisUrl, { lazyConnect: true, connectionName: `example:sub:${tag}`, ...tls });
    for (const client of [this.publisher, this.subscriber]) {
      // The message only: an error may carry the URL, and the URL may carry the password.
      client.on('error', (error) => this.logger.warn({ err: error.message }, 'example driver: connection error'));
    }
    // ioredis resubscribes by itself after a reconnect; report the time away as a state.
    this.subscriber.on('reconnecting', () => this.#setState('reconnecting'));
    this.subscriber.on('ready', () => {
      if (this.state === 'reconnecting') this.#setState('ready');
    });
    this.subscriber.on('message', (_channel, text) => this.#receive(text));
  }

  async connect() {
    this.#setState('connecting');
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    // SUBSCRIBE resolves when Redis acknowledged it: only then is this instance ready.
    await this.subscriber.subscribe(this.channel);
    this.#setState('ready');
  }

  async publish(type, data) {
    const message = JSON.stringify({ s: this.instanceId, q: this.nextSeq, t: type, d: data });
    // The sequence number is taken once the message is handed to the client: it may reach Redis.
    this.nextSeq += 1;
    try {
      const receivers = await this.publisher.publish(this.channel, message);
      this.counts.published += 1;
      return receivers;
    } catch (error) {
      this.counts.publishFailed += 1;
      throw error;
    }
  }

  #receive(text) {
    this.counts.received += 1;
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      this.counts.malformed += 1;
      return;
    }
    if (message.s === this.instanceId) {
      this.counts.selfEchoesFiltered += 1;
      this.sink.onSelfEcho(message.t, message.d);
      return;
    }
    this.sink.onEvent(message.t, message.d, message.s, message.q);
  }

  counters() {
    return { ...this.counts };
  }

  connections() {
    return [
      { role: 'publisher', name: this.publisher.options.connectionName },
      { role: 'subscriber', name: this.subscriber.options.connectionName },
    ];
  }

  async close() {
    if (this.state === 'closed' && this.publisher.status === 'wait') return;
    this.#setState('closing');
    // QUIT lets pending replies arrive; disconnect() then ends the sockets and stops any reconnect timer.
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
    this.subscriber.disconnect();
    this.publisher.disconnect();
    this.#setState('closed');
  }

  #setState(state) {
    const previous = this.state;
    if (state === previous) return;
    this.state = state;
    this.sink.onState(state, previous);
  }
}
