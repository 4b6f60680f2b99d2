// The `socketio` driver: socket.io servers joined by @socket.io/redis-adapter, talking with serverSideEmit.
import { defineDriver } from '@evbridge/driver';
import { createAdapter } from '@socket.io/redis-adapter';
import { SocketIoDriver } from './socketio-driver.js';

export default defineDriver({
  apiVersion: 1,
  name: 'socketio',
  description:
    'socket.io 4 servers (one per instance, no HTTP) joined by @socket.io/redis-adapter 8, events sent with serverSideEmit (JSON on Redis pub/sub)',
  identityScheme: 'socket.io adapter uid: 6 random characters per server (uid2), made when the adapter is built',
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
      prefix: 'sio',
      ownsSubscriber: true,
      duplicates: ['subscriber'],
      // The request, response and this server's response channels, and the broadcast pattern.
      subscribed: { channels: 3, patterns: 1 },
      adapter: (publisher, subscriber, namespace) => createAdapter(publisher, subscriber, { key: `${namespace}:sio` }),
    }),
});
