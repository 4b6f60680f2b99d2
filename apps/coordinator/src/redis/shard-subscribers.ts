// Redis's own count of a Cluster's shard-channel subscribers: PUBSUB SHARDNUMSUB on the master that serves each channel.

import { Cluster, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from '@evbridge/bridge';

/**
 * For each channel, how many clients its slot's master counts as subscribed (SHARDNUMSUB answers for the node it
 * runs on, so it goes to the master the cluster's slot map names). Rejects when the cluster cannot be reached.
 */
export async function countShardSubscribers(
  url: string,
  channels: readonly string[],
  options: RedisOptions & { timeoutMs: number },
): Promise<Map<string, number>> {
  const parsed = parseRedisUrl(url);
  if (parsed.topology !== 'cluster') throw new Error('countShardSubscribers needs a redis+cluster:// URL');
  const { timeoutMs, ...redisOptions } = options;
  const cluster = new Cluster(
    parsed.nodes.map(({ host, port }) => ({ host, port })),
    {
      lazyConnect: true,
      enableReadyCheck: false,
      clusterRetryStrategy: () => null,
      slotsRefreshTimeout: timeoutMs,
      redisOptions: {
        ...redisOptions,
        ...(parsed.username === undefined ? {} : { username: parsed.username }),
        ...(parsed.password === undefined ? {} : { password: parsed.password }),
        ...(parsed.tls ? { tls: redisOptions.tls ?? {} } : {}),
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
        maxRetriesPerRequest: 1,
      },
    },
  );
  cluster.on('error', () => undefined);
  try {
    await cluster.connect();
    const counts = new Map<string, number>();
    const masters = cluster.nodes('master');
    for (const channel of channels) {
      // Any master answers CLUSTER KEYSLOT; the slot map says which one serves it.
      const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', channel));
      const owner = cluster.slots[slot]?.[0];
      const node = masters.find(({ options: node }) => `${node.host}:${node.port}` === owner);
      if (node === undefined) throw new Error(`no master serves slot ${slot} of ${channel}`);
      const reply = (await node.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number | string];
      counts.set(channel, Number(reply[1]));
    }
    return counts;
  } finally {
    cluster.disconnect();
  }
}
