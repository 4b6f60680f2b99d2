// The `evbridge` driver: @evbridge/bridge exactly as a service would use it.
import { EventBridge, connectionNameFor, type EventMeta } from '@evbridge/bridge';
import type { Driver, DriverConnection, DriverContext, DriverCounters } from '@evbridge/driver';
import { defineDriver } from '@evbridge/driver';
import { ioredisTls } from './support.js';

class EvbridgeDriver implements Driver {
  readonly #bridge: EventBridge;

  constructor(context: DriverContext) {
    const { sink, logger } = context;
    this.#bridge = new EventBridge({
      redis: context.redisUrl,
      redisOptions: ioredisTls(context),
      namespace: context.namespace,
      instanceId: context.instanceId,
      logger,
      onSelfEcho: (type, data) => sink.onSelfEcho(type, data),
    });
    this.#bridge.onAny((type: string, data: unknown, meta: Readonly<EventMeta>) =>
      sink.onEvent(type, data, meta.source, meta.seq),
    );
    this.#bridge.lifecycle.on('state', (state, previous) => {
      logger.debug({ state, previous }, 'bridge state');
      sink.onState(state, previous);
    });
  }

  get instanceId(): string {
    return this.#bridge.instanceId;
  }

  get host(): string {
    return this.#bridge.host;
  }

  get nextSeq(): number {
    return this.#bridge.nextSeq;
  }

  connect(): Promise<void> {
    return this.#bridge.connect();
  }

  publish(type: string, data: unknown): Promise<number> {
    return this.#bridge.publish(type, data);
  }

  counters(): DriverCounters {
    const {
      malformedByKind: _byKind,
      selfReceived: _selfReceived,
      deliveredToHandlers: _delivered,
      ...counters
    } = this.#bridge.stats();
    return counters;
  }

  connections(): DriverConnection[] {
    return [
      { role: 'publisher', name: connectionNameFor('publisher', this.instanceId) },
      { role: 'subscriber', name: connectionNameFor('subscriber', this.instanceId) },
    ];
  }

  close(): Promise<void> {
    return this.#bridge.close();
  }
}

export default defineDriver({
  apiVersion: 1,
  name: 'evbridge',
  description:
    '@evbridge/bridge: versioned envelopes on one Redis pub/sub channel, publisher and subscriber connections',
  identityScheme: 'host:pid:nonce, the nonce 48 random bits per bridge (evbridge)',
  capabilities: { receiverCount: true, ownEchoes: true, namedConnections: true, instanceIdOverride: true },
  create: (context) => new EvbridgeDriver(context),
});
