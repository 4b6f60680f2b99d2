// An ioredis client for any URL the run may use: redis:// and rediss:// as ioredis reads them, and redis+sentinel://
// as the bridge reads it (the master its sentinels name), so coordinator-side checks reach the same server as workers;
// redis+cluster:// as its first seed node.
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
    // One node of the Cluster, its first seed: enough for INFO (the version); the faults that would need every node
    // (CLIENT KILL, CLIENT PAUSE) are refused for a Cluster, and handshake.ts counts subscribers per shard itself.
    const [seed] = parsed.nodes;
    return new Redis({
      host: seed?.host ?? 'localhost',
      port: seed?.port ?? 6379,
      ...(parsed.username === undefined ? {} : { username: parsed.username }),
      ...(parsed.password === undefined ? {} : { password: parsed.password }),
      ...(parsed.tls ? { tls: {} } : {}),
      ...options,
    });
  }
  return new Redis(url, options);
}
