// The channel transport over Redis Cluster sharded pub/sub: SPUBLISH on one shard channel, SSUBSCRIBE to all of them.

import type { Cluster } from 'ioredis';
import type { ChannelTransport } from './channel-transport.js';
import type { MessageSink } from './receive-path.js';
import { publishChannelFor } from './shard-channels.js';

const noop = (): void => {};

/**
 * At most once, as PUBLISH / SUBSCRIBE, per shard: a shard master delivers an SPUBLISH only to the subscribers
 * connected to it, so while a shard fails over its channels' events are lost for every bridge (the other shards'
 * channels carry on). SPUBLISH's reply counts the subscribers of that channel on that master: every bridge of the
 * namespace subscribes to every shard channel on its master, so it means the same as PUBLISH's reply (this bridge
 * included), except during a failover of that shard.
 */
export class ShardedPubSubTransport implements ChannelTransport {
  readonly commands = { publish: 'SPUBLISH', subscribe: 'SSUBSCRIBE' } as const;
  readonly #cluster: Cluster;
  readonly #channels: readonly string[];
  readonly #publishChannel: string;

  constructor(cluster: Cluster, channels: readonly string[], instanceId: string, sink: MessageSink) {
    this.#cluster = cluster;
    this.#channels = channels;
    this.#publishChannel = publishChannelFor(instanceId, channels);
    this.#cluster.on('smessageBuffer', (_channel: Buffer, message: Buffer) => sink(message));
  }

  /** The shard channel this bridge publishes on. */
  get publishChannel(): string {
    return this.#publishChannel;
  }

  publish(payload: string): Promise<number> {
    return this.#cluster.spublish(this.#publishChannel, payload).then(Number);
  }

  /** One SSUBSCRIBE per channel: each is in its own slot, and one command may name channels of one slot only. */
  subscribe(): Promise<void> {
    return Promise.all(this.#channels.map((channel) => this.#cluster.ssubscribe(channel))).then(noop);
  }

  /** ioredis resubscribes a replaced shard subscriber itself; the supervisor waits for the acknowledgements. */
  resubscribe(): Promise<void> {
    return Promise.resolve();
  }

  async close(timeoutMs: number): Promise<void> {
    if (this.#cluster.status !== 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(this.#channels.map((channel) => this.#cluster.sunsubscribe(channel))),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
