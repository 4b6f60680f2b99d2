// The `evbridge` driver: @evbridge/bridge exactly as a service would use it; its variants set bridge options.
import { type BridgeOptions, EventBridge, connectionNameFor, type EventMeta } from '@evbridge/bridge';
import type { Driver, DriverConnection, DriverContext, DriverCounters, DriverDefinition } from '@evbridge/driver';
import { defineDriver } from '@evbridge/driver';
import { ioredisTls } from './support.js';

/** Bridge options a variant sets, over what the driver sets from the context. */
export type BridgeVariant = Pick<BridgeOptions, 'connections' | 'coalesce'>;

class EvbridgeDriver implements Driver {
  readonly #bridge: EventBridge;
  readonly #variant: BridgeVariant;

  constructor(context: DriverContext, variant: BridgeVariant) {
    const { sink, logger } = context;
    this.#variant = variant;
    this.#bridge = new EventBridge({
      ...variant,
      redis: context.redisUrl,
      redisOptions: ioredisTls(context),
      namespace: context.namespace,
      instanceId: context.instanceId,
      ...(context.delivery === undefined ? {} : { delivery: context.delivery }),
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
    this.#bridge.lifecycle.on('recovered', (info) => {
      logger.debug(
        { ...info },
        info.serverChanged ? 'bridge followed a failover to another Redis server' : 'bridge recovered',
      );
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
    if (this.#variant.connections === 'shared') {
      return [{ role: 'shared', name: connectionNameFor('shared', this.instanceId) }];
    }
    return [
      { role: 'publisher', name: connectionNameFor('publisher', this.instanceId) },
      { role: 'subscriber', name: connectionNameFor('subscriber', this.instanceId) },
    ];
  }

  close(): Promise<void> {
    return this.#bridge.close();
  }
}

/** The definition of `evbridge` or one of its variants. */
export function evbridgeDefinition(name: string, description: string, variant: BridgeVariant): DriverDefinition {
  return defineDriver({
    apiVersion: 1,
    name,
    description,
    identityScheme: 'host:pid:nonce, the nonce 48 random bits per bridge (evbridge)',
    capabilities: {
      receiverCount: true,
      ownEchoes: true,
      namedConnections: true,
      instanceIdOverride: true,
      // Streams' XREAD BLOCK needs a connection of its own: not with connections: 'shared'.
      atLeastOnce: variant.connections !== 'shared',
      sentinel: true,
      cluster: true,
    },
    create: (context) => new EvbridgeDriver(context, variant),
  });
}

export default evbridgeDefinition(
  'evbridge',
  '@evbridge/bridge: versioned envelopes on one Redis pub/sub channel, publisher and subscriber connections',
  {},
);
