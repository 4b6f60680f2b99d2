// The bridge's ioredis Cluster client: built from a redis+cluster:// URL with sharded subscribers, and what it has subscribed.

import { Cluster, type ClusterOptions, type Redis } from 'ioredis';
import { keySlot } from './cluster-slot.js';
import type { ResolvedBridgeOptions } from './options.js';
import { connectionNameFor, reconnectDelayMs } from './redis-clients.js';

/** ioredis's sharded subscribers accept no health-check interval below this. */
const MIN_SUBSCRIBER_HEALTH_CHECK_MS = 1_000;

/**
 * One ioredis Cluster for publishing (SPUBLISH goes to the master of the channel's slot, over the cluster's pool
 * of node connections) and receiving (`shardedSubscribers`: one subscriber connection per shard master, which
 * ioredis replaces and resubscribes after a failover or a slot move).
 *
 * Set over the user's `redisOptions`: no resend of a command whose connection closed (`retryDelayOnFailover: 0`:
 * the SPUBLISH may have run, and the bridge never publishes twice; a MOVED or CLUSTERDOWN reply, which Redis sends
 * only for a command it did not run, is still followed); the bridge's reconnect schedule for the cluster; and
 * sharded subscribers PINGed every `healthCheckIntervalMs` (at least 1 s; 0 turns it off).
 */
export function createClusterClient(options: ResolvedBridgeOptions, instanceId: string): Cluster {
  const cluster = options.cluster;
  if (cluster === undefined) throw new Error('createClusterClient needs a redis+cluster:// URL');
  const { healthCheckIntervalMs } = options;
  const clusterOptions: ClusterOptions = {
    clusterRetryStrategy: reconnectDelayMs,
    redisOptions: {
      connectionName: connectionNameFor('shared', instanceId),
      ...options.redisOptions,
      ...(cluster.username === undefined ? {} : { username: cluster.username }),
      ...(cluster.password === undefined ? {} : { password: cluster.password }),
      ...(cluster.tls ? { tls: options.redisOptions.tls ?? {} } : {}),
      autoResendUnfulfilledCommands: false,
      keyPrefix: '',
    },
    lazyConnect: true,
    enableOfflineQueue: true,
    enableAutoPipelining: options.publishPipelining === 'auto',
    retryDelayOnFailover: 0,
    shardedSubscribers: true,
    shardedSubscriberHealthCheckInterval:
      healthCheckIntervalMs === 0 ? null : Math.max(healthCheckIntervalMs, MIN_SUBSCRIBER_HEALTH_CHECK_MS),
  };
  return new Cluster(
    cluster.nodes.map(({ host, port }) => ({ host, port })),
    clusterOptions,
  );
}

/** The part of ioredis's (private) sharded subscriber group that tells whether a channel is subscribed. */
interface SubscriberGroupView {
  shardedSubscribers?: Map<string, { getInstance(): Redis | null }>;
}

/**
 * The channels whose SSUBSCRIBE the master of their slot has acknowledged on its subscriber connection, as far as
 * ioredis knows now. ioredis resubscribes after a failover or a slot move without telling when Redis acknowledged
 * it, so this reads its sharded subscriber group (a private field: the one place the bridge reads ioredis's
 * internals; the cluster integration tests fail if it changes) and each connection's subscription set, which
 * ioredis fills from Redis's replies.
 */
export function acknowledgedChannels(cluster: Cluster, channels: readonly string[]): string[] {
  const group = (cluster as unknown as { shardedSubscribers?: SubscriberGroupView }).shardedSubscribers;
  const subscribers = group?.shardedSubscribers;
  if (subscribers === undefined) return [];
  return channels.filter((channel) => {
    const owner = cluster.slots[keySlot(channel)]?.[0];
    const instance = owner === undefined ? null : (subscribers.get(owner)?.getInstance() ?? null);
    if (instance === null || instance.status !== 'ready') return false;
    const subscriptions = instance.condition?.subscriber;
    return (
      subscriptions !== undefined && subscriptions !== false && subscriptions.channels('ssubscribe').includes(channel)
    );
  });
}

/** The masters that serve the channels' slots now, `host:port,host:port` sorted: the "server" of a Cluster bridge. */
export function channelMasters(cluster: Cluster, channels: readonly string[]): string {
  const owners = new Set(channels.map((channel) => cluster.slots[keySlot(channel)]?.[0] ?? '?'));
  return [...owners].sort().join(',');
}

/** End the cluster within `timeoutMs`: QUIT when ready, then disconnect. Never rejects. */
export async function endCluster(cluster: Cluster, timeoutMs: number): Promise<void> {
  if (cluster.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const quit = cluster.status === 'ready' ? cluster.quit().catch(() => undefined) : Promise.resolve();
  await Promise.race([
    quit,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  cluster.disconnect();
}
