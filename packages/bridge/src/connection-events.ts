// One bridge connection's ioredis events as the supervisor acts on them (error, closed, ready, ended).

import { roleLabel, type BridgeConnection } from './connections.js';
import { rejectUnanswered } from './redis-clients.js';

export interface ConnectionListener {
  error(error: unknown): void;
  /** `wasUp`: the connection had reached ready since it last closed (its queue held our commands only). */
  closed(wasUp: boolean): void;
  ready(): void;
  /** ioredis stopped reconnecting (its retryStrategy gave up). */
  ended(): void;
}

export function listenToConnection(connection: BridgeConnection, listener: ConnectionListener): void {
  const { client } = connection;
  let up = false;
  client.on('error', (error: unknown) => listener.error(error));
  client.on('close', () => {
    const wasUp = up;
    up = false;
    // PUBLISHes (and PINGs) Redis never answered: rejected, never resent (Redis may have run them).
    if (wasUp) {
      rejectUnanswered(
        client,
        new Error(`the ${roleLabel(connection)} connection to Redis closed before Redis replied`),
      );
    }
    listener.closed(wasUp);
  });
  client.on('ready', () => {
    up = true;
    listener.ready();
  });
  client.on('end', () => listener.ended());
}
