// The configs a private topology's servers start with (issue 14's first part): a real redis-server takes the replica's
// config and replicates its master behind their shared password, and a real sentinel takes its config file and
// watches that master, sees its replica, and refuses clients without the password.
import { execa, type ResultPromise } from 'execa';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../src/redis/free-port.js';
import { renderRedisConfig, renderSentinelConfig } from '../src/redis/server-config.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-topology-config-');

/** Polls `condition` until it holds, or fails naming `what` after `timeoutMs`. */
async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function dirFor(name: string): Promise<string> {
  const dir = join(tempDir(), name);
  await mkdir(dir, { mode: 0o700 });
  return dir;
}

describe('topology configs on real servers', () => {
  it('a replica replicates its master behind the shared password; a sentinel watches both', async () => {
    const password = randomBytes(24).toString('hex');
    const started: ResultPromise[] = [];
    const clients: Redis[] = [];
    const client = (port: number, withPassword = true) => {
      const redis = new Redis({
        port,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        ...(withPassword ? { password } : {}),
      });
      redis.on('error', () => undefined);
      clients.push(redis);
      return redis;
    };
    try {
      const masterPort = await findFreePort('127.0.0.1');
      const master = execa('redis-server', ['-'], {
        input: renderRedisConfig({ port: masterPort, password, dir: await dirFor('master') }),
        reject: false,
      });
      started.push(master);
      const replicaPort = await findFreePort('127.0.0.1');
      const replica = execa('redis-server', ['-'], {
        input: renderRedisConfig({
          port: replicaPort,
          password,
          dir: await dirFor('replica'),
          replicaOf: { host: '127.0.0.1', port: masterPort },
        }),
        reject: false,
      });
      started.push(replica);
      const replicaClient = client(replicaPort);
      await until(
        'the replica to link up',
        async () => /master_link_status:up/.test(await replicaClient.info('replication')),
        10_000,
      );
      await client(masterPort).set('written-on-master', 'yes');
      await until(
        'the write to reach the replica',
        async () => (await replicaClient.get('written-on-master')) === 'yes',
        5000,
      );

      const sentinelPort = await findFreePort('127.0.0.1');
      const sentinelDir = await dirFor('sentinel');
      const file = join(sentinelDir, 'sentinel.conf');
      await writeFile(
        file,
        renderSentinelConfig({
          port: sentinelPort,
          password,
          dir: sentinelDir,
          masterName: 'evbridge',
          master: { host: '127.0.0.1', port: masterPort },
          quorum: 1,
          downAfterMs: 1000,
          failoverTimeoutMs: 5000,
        }),
        { mode: 0o600 },
      );
      expect((await stat(file)).mode & 0o077).toBe(0);
      started.push(execa('redis-server', [file, '--sentinel'], { reject: false }));
      const sentinel = client(sentinelPort);
      await until(
        'the sentinel to find the replica',
        async () => ((await sentinel.call('SENTINEL', 'REPLICAS', 'evbridge')) as unknown[]).length === 1,
        15_000,
      );
      expect(await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'evbridge')).toEqual([
        '127.0.0.1',
        String(masterPort),
      ]);
      await expect(client(sentinelPort, false).ping()).rejects.toThrow(/NOAUTH|Authentication required/);
    } finally {
      for (const redis of clients) redis.disconnect();
      for (const server of started) server.kill('SIGKILL');
      await Promise.all(started);
    }
  }, 40_000);

  it('a cluster node starts in cluster mode with its node timeout, its node table in its own dir', async () => {
    const password = randomBytes(24).toString('hex');
    const port = await findFreePort('127.0.0.1');
    const dir = await dirFor('node');
    const node = execa('redis-server', ['-'], {
      input: renderRedisConfig({ port, password, dir, cluster: { nodeTimeoutMs: 1500 } }),
      reject: false,
    });
    const redis = new Redis({ port, host: '127.0.0.1', password, lazyConnect: true, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    try {
      await until('the node to answer', async () => (await redis.ping()) === 'PONG', 10_000);
      expect(await redis.info('cluster')).toMatch(/cluster_enabled:1/);
      expect(await redis.config('GET', 'cluster-node-timeout')).toEqual(['cluster-node-timeout', '1500']);
      expect((await stat(join(dir, 'nodes.conf'))).isFile()).toBe(true);
    } finally {
      redis.disconnect();
      node.kill('SIGKILL');
      await node;
    }
  });
});
