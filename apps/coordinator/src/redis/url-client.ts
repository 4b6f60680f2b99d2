// An ioredis client for any URL the run may use: redis:// and rediss:// as ioredis reads them, and redis+sentinel://
// as the bridge reads it (the master its sentinels name), so coordinator-side checks reach the same server as workers.
import { Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl, sentinelOptionsFor } from '@evbridge/bridge';

/** A client for `url` with `options` over it (not connected unless `options` say so). */
export function redisClientFor(url: string, options: RedisOptions): Redis {
  const parsed = parseRedisUrl(url);
  if (parsed.topology === 'sentinel') {
    // No failover detector here: these clients live for one check or one fault.
    return new Redis(sentinelOptionsFor(parsed, { failoverDetector: false, ...options }));
  }
  if (parsed.topology === 'cluster') {
    throw new Error('a redis+cluster:// Redis is not supported by the harness yet: give a redis:// URL');
  }
  return new Redis(url, options);
}
