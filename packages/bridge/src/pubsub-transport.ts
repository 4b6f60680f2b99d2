// The channel transport over Redis PUBLISH / SUBSCRIBE on the bridge's publisher and subscriber connections.

import type { Redis } from 'ioredis';
import type { ChannelTransport } from './channel-transport.js';
import type { BridgeConnections } from './connections.js';
import { TickWrites, type PublishPipelining } from './publish-pipeline.js';
import type { MessageSink } from './receive-path.js';
import { unsubscribeWithin } from './redis-clients.js';

const noop = (): void => {};

/** At most once: what Redis delivers while a subscriber is connected, each message once; nothing is kept. */
export class PubSubTransport implements ChannelTransport {
  readonly commands = { publish: 'PUBLISH', subscribe: 'SUBSCRIBE' } as const;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #pipelining: PublishPipelining;
  readonly #tickWrites = new TickWrites();

  constructor(connections: BridgeConnections, channel: string, pipelining: PublishPipelining, sink: MessageSink) {
    this.#publisher = connections.publisher;
    this.#subscriber = connections.subscriber;
    this.#channel = channel;
    this.#pipelining = pipelining;
    this.#subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => sink(message));
  }

  publish(payload: string): Promise<number> {
    return this.#pipelining === 'tick'
      ? this.#tickWrites.publish(this.#publisher, this.#channel, payload)
      : this.#publisher.publish(this.#channel, payload);
  }

  subscribe(): Promise<void> {
    return this.#subscriber.subscribe(this.#channel).then(noop);
  }

  resubscribe(): Promise<void> {
    return this.subscribe();
  }

  close(timeoutMs: number): Promise<void> {
    return unsubscribeWithin(this.#subscriber, this.#channel, timeoutMs);
  }
}
