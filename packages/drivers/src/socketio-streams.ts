// The `socketio-streams` driver: socket.io servers joined by @socket.io/redis-streams-adapter, with serverSideEmit.
// That adapter carries broadcasts to clients in a Redis stream, and server-side emits (ephemeral) on Redis pub/sub.
import { defineDriver } from '@evbridge/driver';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { SocketIoDriver } from './socketio-driver.js';

export default defineDriver({
  apiVersion: 1,
  name: 'socketio-streams',
  description:
    'socket.io 4 servers (one per instance, no HTTP) joined by @socket.io/redis-streams-adapter 0.3, events sent with serverSideEmit (msgpack on Redis pub/sub; its stream reader runs beside)',
  identityScheme:
    'socket.io cluster adapter uid: 16 hex characters (8 random bytes) per server, made when the adapter is built',
  capabilities: {
    receiverCount: true,
    ownEchoes: false,
    namedConnections: true,
    instanceIdOverride: false,
    sentinel: false,
    cluster: false,
  },
  create: (context) =>
    new SocketIoDriver(context, {
      prefix: 'sio-streams',
      ownsSubscriber: false,
      // The stream reader (XREAD BLOCK) first, then the pub/sub subscriber.
      duplicates: ['subscriber', 'subscriber'],
      // The public channel and this server's private one.
      subscribed: { channels: 2, patterns: 0 },
      adapter: (publisher, _subscriber, namespace) =>
        createAdapter(publisher, { streamName: `${namespace}:sio-streams`, channelPrefix: `${namespace}:sio-streams` }),
    }),
});
