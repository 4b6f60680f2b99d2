// What kind of Redis a run used, in words: a private one or an external one, one server, a Sentinel group or a Cluster.
import type { RedisInfo } from '../model/report.js';

const TOPOLOGY_WORDS = {
  sentinel: { private: 'a master, a replica and three sentinels', external: 'Sentinel group' },
  cluster: { private: 'three masters with a replica each', external: 'Cluster' },
} as const;

/** "private redis-server started for this run", "private Sentinel group started for this run: ...", "external Cluster". */
export function redisKind(redis: Pick<RedisInfo, 'private' | 'topology'>): string {
  if (redis.topology === undefined) return redis.private ? 'private redis-server started for this run' : 'external';
  const words = TOPOLOGY_WORDS[redis.topology];
  return redis.private
    ? `private ${words.external} started for this run: ${words.private}`
    : `external ${words.external}`;
}

/** The short form of the Markdown summary: "private", "private, sentinel", "sentinel", or "" (external, one server). */
export function redisKindShort(redis: Pick<RedisInfo, 'private' | 'topology'>): string {
  return [redis.private ? 'private' : undefined, redis.topology].filter((word) => word !== undefined).join(', ');
}
