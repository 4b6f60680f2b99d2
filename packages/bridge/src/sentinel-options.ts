// The ioredis options of a Sentinel group: from a redis+sentinel:// URL, or over a user's `sentinels` options object.
import type { RedisOptions } from 'ioredis';
import { parseRedisUrl, type ParsedRedisUrl } from './redis-url.js';

type SentinelUrl = Extract<ParsedRedisUrl, { topology: 'sentinel' }>;

/**
 * What the bridge sets under a user's sentinel options (theirs win): ioredis's `failoverDetector` stays off, since
 * the bridge watches +switch-master itself (sentinel-watch.ts) and drops only the connections not on the new master.
 */
export const SENTINEL_DEFAULTS = { failoverDetector: false } as const satisfies RedisOptions;

/**
 * ioredis options for the master a redis+sentinel:// URL names: its sentinels, master name, database and password
 * (the master's and the sentinels' alike, as the URL form says), TLS to both with rediss+sentinel://; `extra` over
 * them, its `tls` (a private CA, say) for the sentinels too unless it sets `sentinelTLS`.
 */
export function sentinelOptionsFor(parsed: SentinelUrl, extra: RedisOptions = {}): RedisOptions {
  const tlsForSentinels =
    parsed.tls && typeof extra.tls === 'object' && extra.sentinelTLS === undefined ? { sentinelTLS: extra.tls } : {};
  return { ...fromUrl(parsed), ...extra, ...tlsForSentinels };
}

function fromUrl(parsed: SentinelUrl): RedisOptions {
  const credentials: RedisOptions = {
    ...(parsed.username === undefined ? {} : { username: parsed.username, sentinelUsername: parsed.username }),
    ...(parsed.password === undefined ? {} : { password: parsed.password, sentinelPassword: parsed.password }),
  };
  return {
    ...SENTINEL_DEFAULTS,
    sentinels: parsed.sentinels.map(({ host, port }) => ({ host, port })),
    name: parsed.masterName,
    db: parsed.db,
    ...credentials,
    ...(parsed.tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
  };
}

/**
 * The ioredis sentinel options the bridge's connections use (from the URL, or the user's object with their
 * redisOptions over it); undefined for one server.
 */
export function sentinelOptionsOf(redis: string | RedisOptions, extra: RedisOptions): RedisOptions | undefined {
  if (typeof redis === 'string') {
    const parsed = parseRedisUrl(redis);
    return parsed.topology === 'sentinel' ? sentinelOptionsFor(parsed, extra) : undefined;
  }
  const merged = { ...redis, ...extra };
  return hasSentinels(merged) ? merged : undefined;
}

/** True when ioredis options name sentinels (ioredis then follows the master they name). */
export function hasSentinels(options: RedisOptions): boolean {
  return Array.isArray(options.sentinels) && options.sentinels.length > 0;
}
