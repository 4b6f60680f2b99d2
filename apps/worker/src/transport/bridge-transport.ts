// The transport under test: @evbridge/bridge, exactly as a service would use it.
import { EventBridge, type EventMeta } from '@evbridge/bridge';
import type { Logger } from 'pino';
import { pidInstanceId, tlsOptions, type Transport, type TransportConfig, type TransportSink } from './transport.js';

export class BridgeTransport implements Transport {
  readonly kind = 'bridge';
  readonly #bridge: EventBridge;

  constructor(config: TransportConfig, sink: TransportSink, logger: Logger) {
    this.#bridge = new EventBridge({
      redis: config.redisUrl,
      redisOptions: tlsOptions(config),
      namespace: config.namespace,
      instanceId: pidInstanceId(config),
      logger,
      onSelfEcho: (type, data) => sink.onSelfEcho(type, data),
    });
    this.#bridge.onAny((type: string, data: unknown, meta: Readonly<EventMeta>) =>
      sink.onEvent(type, data, meta.source, meta.seq),
    );
    this.#bridge.lifecycle.on('state', (state, previous) => {
      logger.debug({ state, previous }, 'bridge state');
      sink.onState?.(state, previous);
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

  counters() {
    const { malformedByKind: _byKind, ...counters } = this.#bridge.stats();
    return counters;
  }

  close(): Promise<void> {
    return this.#bridge.close();
  }
}
