// Which channel transport a bridge uses: pub/sub (at-most-once) or Redis Streams (at-least-once), per options.delivery.

import type { ChannelTransport } from './channel-transport.js';
import type { BridgeConnections } from './connections.js';
import type { BridgeCounters } from './counters.js';
import type { Lifecycle } from './lifecycle.js';
import type { ResolvedBridgeOptions } from './options.js';
import { PubSubTransport } from './pubsub-transport.js';
import type { MessageSink } from './receive-path.js';
import { StreamsTransport } from './streams-transport.js';

export interface TransportDeps {
  options: ResolvedBridgeOptions;
  counters: BridgeCounters;
  lifecycle: Lifecycle;
  /** The receive path: every message the transport receives. */
  receive: MessageSink;
}

/** The transport of one connect() attempt over `connections`. */
export function createTransport(connections: BridgeConnections, deps: TransportDeps): ChannelTransport {
  const { options, counters, lifecycle, receive } = deps;
  if (options.delivery === 'at-least-once') {
    return new StreamsTransport(connections, { options, sink: receive, counters, lifecycle });
  }
  return new PubSubTransport(connections, options.channel, options.publishPipelining, receive);
}
