// One socket.io server per instance (no HTTP server), joined to the others by a socket.io Redis adapter; events go
// between servers with `serverSideEmit`, as services use it to talk between instances. Shared by the `socketio`
// (redis-adapter) and `socketio-streams` (redis-streams-adapter) drivers.
import { hostname } from 'node:os';
import type { Driver, DriverConnection, DriverContext, DriverCounters } from '@evbridge/driver';
import { Redis, type RedisOptions } from 'ioredis';
import { Server } from 'socket.io';
import { countPublish } from './raw-message.js';
import { StateReporter, ioredisTls, nameTag, reportReconnects } from './support.js';

/** The server-side event every instance emits and listens to. */
const EVENT = 'evbridge';
/** Longest wait for the adapter's subscriptions to show in CLIENT LIST. */
const SUBSCRIBED_TIMEOUT_MS = 10_000;

interface Message {
  s: string;
  q: number;
  t: string;
  d: unknown;
}

const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Message).s === 'string' &&
  Number.isSafeInteger((value as Message).q) &&
  typeof (value as Message).t === 'string';

/** How one adapter is set up: made from connected clients, and what it subscribes on its receiving connection. */
export interface AdapterFlavour {
  /** Connection name prefix: `sio`, `sio-streams`. */
  prefix: string;
  /** Makes the adapter factory from the publishing client (connected) and the subscribing one (connected, or made by the adapter through `duplicate`). */
  adapter(publisher: Redis, subscriber: Redis | undefined, namespace: string): Parameters<Server['adapter']>[0];
  /** Whether the driver makes the subscriber itself (redis-adapter) or the adapter duplicates the publisher (streams). */
  ownsSubscriber: boolean;
  /** The role of each client the adapter makes with duplicate(), in the order it makes them. */
  duplicates: DriverConnection['role'][];
  /** Channel and pattern subscriptions that show the adapter subscribed (CLIENT LIST's sub= and psub=). */
  subscribed: { channels: number; patterns: number };
}

export class SocketIoDriver implements Driver {
  readonly host = hostname();
  nextSeq = 0;
  #instanceId: string | undefined;
  readonly #context: DriverContext;
  readonly #flavour: AdapterFlavour;
  readonly #publisher: Redis;
  readonly #made: { client: Redis; role: DriverConnection['role']; name: string }[] = [];
  readonly #state: StateReporter;
  #io: Server | undefined;
  /** The PUBLISH the adapter sends while `serverSideEmit` runs: its reply is the receiver count. */
  #capturing = false;
  #captured: Promise<number> | undefined;
  readonly #counters = { published: 0, publishFailed: 0, received: 0, malformed: 0 };
  readonly #tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(context: DriverContext, flavour: AdapterFlavour) {
    this.#context = context;
    this.#flavour = flavour;
    this.#state = new StateReporter(context.sink);
    this.#publisher = this.#client('publisher', new Redis(context.redisUrl, this.#options('publisher')));
    const original = this.#publisher.publish.bind(this.#publisher) as (...args: unknown[]) => Promise<number>;
    (this.#publisher as unknown as { publish: (...args: unknown[]) => Promise<number> }).publish = (...args) => {
      const sent = original(...args);
      if (this.#capturing) this.#captured = sent;
      return sent;
    };
    // The adapter's own clients (the streams adapter duplicates the publisher): named, connected, closed by us.
    let next = 0;
    const duplicate = this.#publisher.duplicate.bind(this.#publisher);
    this.#publisher.duplicate = (override?: Partial<RedisOptions>) => {
      const role = flavour.duplicates[next++] ?? 'subscriber';
      return this.#client(role, duplicate({ ...this.#options(role), ...override }));
    };
  }

  #options(role: DriverConnection['role']): RedisOptions {
    const short = { publisher: 'pub', subscriber: 'sub', shared: 'shared' }[role];
    const connectionName = `${this.#flavour.prefix}:${short}${this.#made.length}:${nameTag(this.#tag)}`;
    return { lazyConnect: true, connectionName, ...ioredisTls(this.#context) };
  }

  #client(role: DriverConnection['role'], client: Redis): Redis {
    client.on('error', (error: Error) =>
      this.#context.logger.warn({ err: error.message }, `${this.#flavour.prefix} driver connection error`),
    );
    this.#made.push({ client, role, name: String(client.options.connectionName) });
    return client;
  }

  /** The adapter's uid, known once connected (socket.io makes it when the adapter is built). */
  get instanceId(): string {
    return this.#instanceId ?? '';
  }

  async connect(): Promise<void> {
    this.#state.set('connecting');
    await this.#publisher.connect();
    let subscriber: Redis | undefined;
    if (this.#flavour.ownsSubscriber) {
      // socket.io's documented setup passes duplicate() straight in, which can hang on ioredis (#2037): connect first.
      subscriber = this.#publisher.duplicate();
      await subscriber.connect();
    }
    const io = new Server();
    this.#io = io;
    io.adapter(this.#flavour.adapter(this.#publisher, subscriber, this.#context.namespace));
    const adapter = io.of('/').adapter as unknown as { uid: string };
    this.#instanceId = adapter.uid;
    io.of('/').on(EVENT, this.#onMessage);
    await this.#subscribed();
    reportReconnects(
      this.#state,
      this.#made.map((made) => made.client),
      () => this.#made.every((made) => made.client.status === 'ready'),
    );
    this.#state.set('ready');
  }

  /** Waits until the adapter's receiving connection holds its subscriptions (Redis acknowledged them). */
  async #subscribed(): Promise<void> {
    const { channels, patterns } = this.#flavour.subscribed;
    const deadline = Date.now() + SUBSCRIBED_TIMEOUT_MS;
    const names = new Set(this.#made.filter((made) => made.role === 'subscriber').map((made) => made.name));
    for (;;) {
      const list = String(await this.#publisher.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const ready = list.split('\n').some((line) => {
        const field = (key: string) => new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(line)?.[1];
        return names.has(field('name') ?? '') && Number(field('sub')) >= channels && Number(field('psub')) >= patterns;
      });
      if (ready) return;
      if (Date.now() > deadline)
        throw new Error(`the socket.io adapter did not subscribe within ${SUBSCRIBED_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  publish(type: string, data: unknown): Promise<number> {
    const io = this.#io;
    if (!io || this.#state.state !== 'ready') return Promise.reject(new Error(`not ready (${this.#state.state})`));
    const message: Message = { s: this.instanceId, q: this.nextSeq++, t: type, d: data };
    this.#capturing = true;
    try {
      io.of('/').serverSideEmit(EVENT, message);
    } finally {
      this.#capturing = false;
    }
    const sent = this.#captured;
    this.#captured = undefined;
    if (sent === undefined) {
      this.#counters.publishFailed += 1;
      return Promise.reject(new Error('the adapter sent no PUBLISH for serverSideEmit'));
    }
    return countPublish(sent, this.#counters);
  }

  #onMessage = (message: unknown): void => {
    this.#counters.received += 1;
    if (!isMessage(message)) {
      this.#counters.malformed += 1;
      return;
    }
    // The adapter already dropped this server's own messages by its uid; one that got here anyway goes to the sink
    // as it is, and the harness counts it as a self-receive.
    this.#context.sink.onEvent(message.t, message.d, message.s, message.q);
  };

  counters(): DriverCounters {
    return { ...this.#counters };
  }

  connections(): DriverConnection[] {
    return this.#made.map(({ role, name }) => ({ role, name }));
  }

  async close(): Promise<void> {
    if (this.#state.state !== 'closed') this.#state.set('closing');
    const io = this.#io;
    this.#io = undefined;
    if (io) {
      io.of('/').off(EVENT, this.#onMessage);
      await io.of('/').adapter.close();
    }
    await Promise.allSettled(
      this.#made.filter((made) => made.client.status === 'ready').map((made) => made.client.quit()),
    );
    for (const made of this.#made) made.client.disconnect();
    this.#state.set('closed');
  }
}
