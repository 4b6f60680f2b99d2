// The Redis connections of one connect() attempt: a publisher and a subscriber, built from the options, and ended.

import type { Redis } from 'ioredis';
import type { ResolvedBridgeOptions } from './options.js';
import { connectionNameFor, createRedisClient, endRedisClient, type ConnectionRole } from './redis-clients.js';

/** One Redis connection and the roles it serves. */
export interface BridgeConnection {
  readonly client: Redis;
  readonly roles: readonly ConnectionRole[];
}

/** The connections by role, and as a list that holds each connection once (what is watched, checked and ended). */
export interface BridgeConnections {
  readonly publisher: Redis;
  readonly subscriber: Redis;
  readonly all: readonly BridgeConnection[];
}

/** Build the connections (not connected yet), each named for its role in CLIENT LIST. */
export function openConnections(options: ResolvedBridgeOptions, instanceId: string): BridgeConnections {
  const pipelining = options.publishPipelining === 'auto' ? { enableAutoPipelining: true } : {};
  const publisher = createRedisClient(options, connectionNameFor('publisher', instanceId), pipelining);
  let subscriber: Redis;
  try {
    subscriber = createRedisClient(options, connectionNameFor('subscriber', instanceId));
  } catch (error) {
    void endRedisClient(publisher, 1_000);
    throw error;
  }
  return {
    publisher,
    subscriber,
    all: [
      { client: publisher, roles: ['publisher'] },
      { client: subscriber, roles: ['subscriber'] },
    ],
  };
}

/** Whether this connection receives the channel's messages. */
export function receives(connection: BridgeConnection): boolean {
  return connection.roles.includes('subscriber');
}

/** The roles as logs name the connection: `publisher`, `subscriber`. */
export function roleLabel(connection: BridgeConnection): string {
  return connection.roles.join('+');
}

/** End every connection within `timeoutMs` (QUIT, then a hard disconnect). Never rejects. */
export async function endConnections(connections: BridgeConnections, timeoutMs: number): Promise<void> {
  await Promise.all(connections.all.map(({ client }) => endRedisClient(client, timeoutMs)));
}
