// The private Redis Cluster on real servers: formed behind one password, shards spread, a SIGKILLed shard master's
// replica takes over, a planned failover swaps roles, and stop() leaves no process and no dir.

import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClusterNodes, shardsByPort } from '../src/redis/cluster-nodes.js';
import { startPrivateCluster, type PrivateCluster } from '../src/redis/private-cluster.js';
import { isAlive } from './support/harness-cli.js';

describe('parseClusterNodes', () => {
  const text = [
    'a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460',
    'b2 127.0.0.1:7002@17002 master - 0 0 2 connected 10923-16383',
    'c3 127.0.0.1:7003@17003 master,fail - 0 0 3 connected',
    'd4 127.0.0.1:7004@17004 slave a1 0 0 1 connected',
    'e5 127.0.0.1:7005@17005 master - 0 0 5 connected 5461-10922',
    '',
  ].join('\n');

  it('reads roles, masters, failure flags and first slots', () => {
    const nodes = parseClusterNodes(text);
    expect(nodes.map((node) => [node.port, node.role, node.masterId, node.failing, node.firstSlot])).toEqual([
      [7001, 'master', undefined, false, 0],
      [7002, 'master', undefined, false, 10923],
      [7003, 'master', undefined, true, undefined],
      [7004, 'replica', 'a1', false, undefined],
      [7005, 'master', undefined, false, 5461],
    ]);
  });

  it('numbers shards by slot order, a replica in its master shard, a slotless master in none', () => {
    const shards = shardsByPort(parseClusterNodes(text));
    expect(Object.fromEntries(shards)).toEqual({ 7001: 0, 7004: 0, 7005: 1, 7002: 2 });
  });
});

describe('startPrivateCluster', () => {
  let cluster: PrivateCluster;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const client = (): Cluster => {
    const url = new URL(cluster.url.replace('redis+cluster:', 'http:').replace(/,.*$/, ''));
    const redis = new Cluster([{ host: url.hostname, port: Number(url.port) }], {
      redisOptions: { password: cluster.password },
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    return redis;
  };

  it('has three shards of a master and a replica each, behind one password', async () => {
    expect(cluster.url).toMatch(/^redis\+cluster:\/\/:[0-9a-f]{48}@(127\.0\.0\.1:\d+,){5}127\.0\.0\.1:\d+$/);
    const servers = cluster.servers();
    expect(
      servers
        .filter((server) => server.role === 'master')
        .map((server) => server.shard)
        .sort(),
    ).toEqual([0, 1, 2]);
    expect(
      servers
        .filter((server) => server.role === 'replica')
        .map((server) => server.shard)
        .sort(),
    ).toEqual([0, 1, 2]);
    for (const server of servers) expect(isAlive(server.pid)).toBe(true);
    const redis = client();
    try {
      await redis.connect();
      // Keys in every shard's slots are written and read through the cluster.
      for (const key of ['{a}', '{b}', '{c}', '{d}', '{e}']) await redis.set(key, key);
      expect(await redis.get('{c}')).toBe('{c}');
      expect(new Set(redis.nodes('master').map((node) => node.options.port)).size).toBe(3);
    } finally {
      redis.disconnect();
    }
  });

  it('a planned failover swaps a shard master and its replica', async () => {
    const before = cluster.servers();
    const { detail } = await cluster.failover(new AbortController().signal);
    expect(detail).toMatch(/^CLUSTER FAILOVER on 127\.0\.0\.1:\d+: it took over shard \d/);
    const promotedPort = Number(/on 127\.0\.0\.1:(\d+)/.exec(detail)?.[1]);
    expect(before.find((server) => server.port === promotedPort)?.role).toBe('replica');
    expect(cluster.servers().find((server) => server.port === promotedPort)?.role).toBe('master');
  }, 20_000);

  it('SIGKILLs a shard master and resolves once its replica serves the shard', async () => {
    const { detail } = await cluster.killNode(new AbortController().signal);
    const [, killedPort, pid, promotedPort] =
      /master 127\.0\.0\.1:(\d+) \(pid (\d+)\); its replica 127\.0\.0\.1:(\d+)/.exec(detail) ?? [];
    expect(isAlive(Number(pid))).toBe(false);
    expect(cluster.servers().find((server) => server.port === Number(promotedPort))?.role).toBe('master');
    expect(cluster.servers().find((server) => server.port === Number(killedPort))?.shard).toBeUndefined();
    const redis = client();
    try {
      await redis.connect();
      for (const key of ['{a}', '{b}', '{c}', '{d}', '{e}']) expect(await redis.get(key)).toBe(key);
    } finally {
      redis.disconnect();
    }
  }, 20_000);

  it('stop() ends every node and removes their dirs, and is idempotent', async () => {
    const pids = cluster.servers().map((server) => server.pid);
    await Promise.all([cluster.stop(), cluster.stop()]);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    // Each node's dir is named after the process that made it (this test's): none is left.
    const left = (await readdir(tmpdir())).filter((name) => name.startsWith(`evbridge-redis-${process.pid}-`));
    expect(left).toEqual([]);
  });
});
