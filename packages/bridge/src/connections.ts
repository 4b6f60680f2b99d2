// The Redis connections of one connect() attempt: a publisher and a subscriber, or one shared connection doing both.

import type { Redis } from 'ioredis';
import { BridgeConnectError } from './errors.js';
import type { ResolvedBridgeOptions } from './options.js';
import { connectionNameFor, createRedisClient, endRedisClient, type ConnectionRole } from './redis-clients.js';

/** One Redis connection and the roles it serves. */
export interface BridgeConnection {
  readonly client: Redis;
  readonly roles: readonly ConnectionRole[];
}

/**
 * The connections by role, and as a list that holds each connection once (what is watched, checked and ended).
 * With `connections: 'shared'` the publisher and the subscriber are the same connection.
 */
export interface BridgeConnections {
  readonly publisher: Redis;
  readonly subscriber: Redis;
  readonly all: readonly BridgeConnection[];
}

/** Build the connections (not connected yet), each named for what it does in CLIENT LIST. */
export function openConnections(options: ResolvedBridgeOptions, instanceId: string): BridgeConnections {
  const pipelining = options.publishPipelining === 'auto' ? { enableAutoPipelining: true } : {};
  if (options.connections === 'shared') {
    const client = createRedisClient(options, connectionNameFor('shared', instanceId), pipelining);
    return { publisher: client, subscriber: client, all: [{ client, roles: ['publisher', 'subscriber'] }] };
  }
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

/**
 * Once connected: a shared connection must speak RESP3, since on RESP2 a subscribed connection may not PUBLISH.
 * ioredis falls back to RESP2 when Redis refuses HELLO 3 (Redis < 6, some proxies), or uses it when told
 * (`protocol: 2`). Throws BridgeConnectError naming the fix.
 */
export function assertShareable(connections: BridgeConnections, target: string): void {
  const { publisher, subscriber } = connections;
  if (publisher !== subscriber || publisher.condition?.protocol === 3) return;
  throw new BridgeConnectError(
    `EventBridge could not share one connection to Redis at ${target}: the connection speaks RESP2 (Redis refused ` +
      'HELLO 3, or the options say protocol: 2), and a subscribed RESP2 connection may not publish. ' +
      "Use options.connections 'separate', or RESP3 (Redis >= 6, no protocol: 2 in the options).",
  );
}

/** Whether this connection receives the channel's messages. */
export function receives(connection: BridgeConnection): boolean {
  return connection.roles.includes('subscriber');
}

/** Whether this connection sends the publishes. */
export function publishes(connection: BridgeConnection): boolean {
  return connection.roles.includes('publisher');
}

/** The roles as logs name the connection: `publisher`, `subscriber`, or `publisher+subscriber` (shared). */
export function roleLabel(connection: BridgeConnection): string {
  return connection.roles.join('+');
}

/** End every connection within `timeoutMs` (QUIT, then a hard disconnect). Never rejects. */
export async function endConnections(connections: BridgeConnections, timeoutMs: number): Promise<void> {
  await Promise.all(connections.all.map(({ client }) => endRedisClient(client, timeoutMs)));
}
