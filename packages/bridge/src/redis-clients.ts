// The bridge's ioredis connections: how each is built from the options, named, described without secrets, and ended.

import { Redis, type RedisOptions } from 'ioredis';
import type { ResolvedBridgeOptions } from './options.js';
import { describeRedisUrl, parseRedisUrl, redisUrlSecrets } from './redis-url.js';
import { hasSentinels, SENTINEL_DEFAULTS, sentinelOptionsFor } from './sentinel-options.js';

export type ConnectionRole = 'publisher' | 'subscriber';

/** What a connection is, as its name says: a publisher, a subscriber, or one `shared` connection doing both. */
export type ConnectionKind = ConnectionRole | 'shared';

/**
 * ioredis 5's reconnect schedule, which the bridge keeps as its default: 50 ms more per attempt, at most 2 s apart.
 * ioredis 6's own default backs off exponentially to 5 s (plus up to 199 ms of jitter), which would bring a bridge
 * back up to ~3 s later after a Redis restart of a few seconds. `redisOptions.retryStrategy` replaces it.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(attempt * 50, 2_000);
}

/** Defaults the bridge sets under the user's options (theirs win). */
const DEFAULT_OPTIONS = { retryStrategy: reconnectDelayMs } as const satisfies RedisOptions;

/**
 * Options the bridge relies on, applied over the user's: connect only when asked; queue commands while
 * connecting (the connect sequence needs it; `disableOfflineQueue` turns the queue off once connected); no
 * automatic resubscribe (the bridge resubscribes itself, once, and knows when Redis acknowledged it); no resend of
 * commands in flight when a connection drops (a PUBLISH Redis may already have run would be delivered twice: the
 * bridge rejects them instead); and no key prefix (ioredis would prefix the PUBLISH channel but not the SUBSCRIBE one).
 */
const FORCED_OPTIONS = {
  lazyConnect: true,
  enableOfflineQueue: true,
  autoResubscribe: false,
  autoResendUnfulfilledCommands: false,
  keyPrefix: '',
} as const satisfies RedisOptions;

const NAME_TAGS = { publisher: 'pub', subscriber: 'sub', shared: 'pubsub' } as const satisfies Record<
  ConnectionKind,
  string
>;

/**
 * The CLIENT SETNAME of a bridge connection, `evbridge:pub:<instanceId>`, `evbridge:sub:<instanceId>` or (one
 * shared connection) `evbridge:pubsub:<instanceId>`, so an operator (or the harness's fault injection) can tell them
 * apart in CLIENT LIST. Characters CLIENT SETNAME refuses (spaces, newlines, anything outside printable ASCII) become `_`.
 */
export function connectionNameFor(kind: ConnectionKind, instanceId: string): string {
  return `evbridge:${NAME_TAGS[kind]}:${instanceId.replace(/[^!-~]/g, '_')}`;
}

/**
 * Build one connection (not connected yet). `connectionName` and DEFAULT_OPTIONS apply unless the user's options set
 * them; a Redis that refuses CLIENT SETNAME (an ACL user without it) is no error (ioredis ignores it). `overrides`
 * (the publishing connection's pipelining) apply over the user's options, FORCED_OPTIONS over everything.
 */
export function createRedisClient(
  options: ResolvedBridgeOptions,
  connectionName?: string,
  overrides: RedisOptions = {},
): Redis {
  const defaults: RedisOptions = { ...DEFAULT_OPTIONS, ...(connectionName === undefined ? {} : { connectionName }) };
  const merged: RedisOptions = { ...options.redisOptions, ...overrides, ...FORCED_OPTIONS };
  if (typeof options.redis === 'string') {
    const parsed = parseRedisUrl(options.redis);
    if (parsed.topology === 'sentinel') return new Redis({ ...defaults, ...sentinelOptionsFor(parsed, merged) });
    return new Redis(options.redis, { ...defaults, ...merged });
  }
  const sentinel = hasSentinels({ ...options.redis, ...options.redisOptions }) ? SENTINEL_DEFAULTS : {};
  return new Redis({ ...defaults, ...sentinel, ...options.redis, ...merged });
}

/**
 * The server a connection is connected to now, `host:port` (the master a Sentinel group named, for one); undefined
 * while it has no socket.
 */
export function connectedServer(client: Redis): string | undefined {
  const stream = client.stream as { remoteAddress?: string; remotePort?: number } | undefined;
  const host = stream?.remoteAddress;
  const port = stream?.remotePort;
  if (host === undefined || port === undefined) return undefined;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Every password in the options, raw and URL-encoded, so messages can be scrubbed of them. */
export function collectSecrets(options: ResolvedBridgeOptions): string[] {
  const secrets: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.length > 0) {
      secrets.push(value);
      const encoded = encodeURIComponent(value);
      if (encoded !== value) secrets.push(encoded);
    }
  };
  if (typeof options.redis === 'string') {
    for (const secret of redisUrlSecrets(options.redis)) add(secret);
  } else {
    add(options.redis.password);
    add(options.redis.sentinelPassword);
  }
  add(options.redisOptions.password);
  add(options.redisOptions.sentinelPassword);
  return secrets;
}

/** `host:port` (or the socket path / sentinel group) of the target, never with credentials. */
export function describeRedisTarget(options: ResolvedBridgeOptions): string {
  const extra = options.redisOptions;
  if (typeof options.redis === 'string') {
    const parsed = parseRedisUrl(options.redis);
    if (parsed.topology !== 'standalone') return describeRedisUrl(parsed);
    const url = new URL(options.redis);
    const host = extra.host ?? (url.hostname || 'localhost');
    const port = extra.port ?? (url.port === '' ? 6379 : Number(url.port));
    return `${url.protocol}//${host}:${port}`;
  }
  const merged = { ...options.redis, ...extra };
  if (merged.path !== undefined) return `unix:${merged.path}`;
  if (hasSentinels(merged)) {
    const sentinels = (merged.sentinels ?? []).map(({ host, port }) => `${host ?? 'localhost'}:${port ?? 26379}`);
    return `redis${merged.tls === undefined ? '' : 's'}+sentinel://${sentinels.join(',')}/${merged.name ?? 'mymaster'}`;
  }
  return `${merged.tls === undefined ? 'redis' : 'rediss'}://${merged.host ?? 'localhost'}:${merged.port ?? 6379}`;
}

/** Wait until `client` emits `event`, or `timeoutMs` passes (resolves false). */
function waitForEvent(client: Redis, event: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onEvent = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      client.removeListener(event, onEvent);
      resolve(false);
    }, timeoutMs);
    client.once(event, onEvent);
  });
}

/** UNSUBSCRIBE from `channel` if the connection is up, waiting at most `timeoutMs`. Never rejects. */
export async function unsubscribeWithin(client: Redis, channel: string, timeoutMs: number): Promise<void> {
  if (client.status !== 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.unsubscribe(channel).catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * End a connection politely within `timeoutMs`: QUIT when it is up, then wait for the socket to be gone
 * ('end'); disconnect hard if that takes too long. Never rejects.
 */
export async function endRedisClient(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    disconnectNow(client);
    if (isGone(client)) return;
  }
  const ended = waitForEvent(client, 'end', timeoutMs);
  if (client.status === 'ready') {
    client.quit().catch(() => disconnectNow(client));
  }
  if (!(await ended)) {
    disconnectNow(client);
    if (!isGone(client)) await waitForEvent(client, 'end', 1_000);
  }
}

function disconnectNow(client: Redis): void {
  client.disconnect();
}

/**
 * After disconnect(), a client waiting to reconnect has no socket and no timer left but keeps the status
 * 'reconnecting' and emits nothing more: it is gone as far as we are concerned.
 */
function isGone(client: Redis): boolean {
  const status = client.status as string;
  return status === 'end' || status === 'reconnecting';
}

/**
 * After the connect sequence: a command issued while the connection is down rejects at once instead of waiting in
 * ioredis's offline queue, which has no bound.
 */
export function disableOfflineQueue(client: Redis): void {
  client.options.enableOfflineQueue = false;
}

/**
 * Reject every command sent on a connection that has just closed and that Redis never answered (called from the
 * 'close' listener of a connection that had been ready: the queue then holds only the bridge's own commands). With
 * `autoResendUnfulfilledCommands` off, ioredis would otherwise drop them unsettled when it reconnects.
 */
export function rejectUnanswered(client: Redis, error: Error): number {
  const queue = client.commandQueue;
  let rejected = 0;
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    item.command.reject(error);
    rejected++;
  }
  return rejected;
}

/** Drop the socket now (no FIN handshake to wait for: the peer may be stopped); ioredis reconnects per retryStrategy. */
export function dropConnection(client: Redis): void {
  (client.stream as { destroy?: () => void } | undefined)?.destroy?.();
}

/**
 * Reconnect now: a connection waiting out its retryStrategy delay (it failed to reach a master that is gone) tries at
 * once, asking the sentinels again; a connected one is dropped to reconnect. For a failover the sentinels announced.
 */
export function reconnectNow(client: Redis): void {
  const waiting = client as unknown as { reconnectTimeout: NodeJS.Timeout | null; retryAttempts: number };
  // A new master: its retries start from the shortest delay again, not from where the dead master left them.
  waiting.retryAttempts = 0;
  if (client.status === 'reconnecting' && waiting.reconnectTimeout !== null) {
    clearTimeout(waiting.reconnectTimeout);
    waiting.reconnectTimeout = null;
    client.connect().catch(() => undefined);
    return;
  }
  dropConnection(client);
}
