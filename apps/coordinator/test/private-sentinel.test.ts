// The private Sentinel group of --topology=sentinel on real processes: it forms, a planned failover and a SIGKILLed
// master each promote the replica, the old master comes back as a replica, and stop() leaves no process or file.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateSentinel, type PrivateSentinel } from '../src/redis/private-sentinel.js';
import { isAlive } from './support/harness-cli.js';

let group: PrivateSentinel;

beforeAll(async () => {
  group = await startPrivateSentinel({ downAfterMs: 1_000, failoverTimeoutMs: 5_000 });
}, 40_000);

afterAll(async () => {
  await group?.stop();
});

function roleOf(port: number): Promise<string> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    password: group.password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  return client
    .connect()
    .then(() => client.call('ROLE'))
    .then((reply) => String((reply as unknown[])[0]))
    .finally(() => client.disconnect());
}

describe('private Sentinel group', () => {
  it('runs a master, a replica and three sentinels, named by one redis+sentinel:// URL', async () => {
    const servers = group.servers();
    expect(servers.map((server) => server.role).sort()).toEqual([
      'master',
      'replica',
      'sentinel',
      'sentinel',
      'sentinel',
    ]);
    for (const server of servers) expect(isAlive(server.pid)).toBe(true);
    const sentinelPorts = servers.filter((s) => s.role === 'sentinel').map((s) => `127.0.0.1:${s.port}`);
    expect(group.url).toBe(`redis+sentinel://:${group.password}@${sentinelPorts.join(',')}/evbridge`);
    const master = servers.find((server) => server.role === 'master');
    expect(await group.currentMaster()).toEqual({ host: '127.0.0.1', port: master?.port });
    expect(await roleOf(master?.port ?? 0)).toBe('master');
  });

  it('kill-master: SIGKILL the master; the sentinels promote the replica; the old one returns as its replica', async () => {
    const before = group.servers();
    const oldMaster = before.find((server) => server.role === 'master');
    const replica = before.find((server) => server.role === 'replica');
    const startedMs = performance.now();
    const outcome = await group.killMaster(new AbortController().signal);
    const tookMs = performance.now() - startedMs;
    expect(isAlive(oldMaster?.pid ?? 0)).toBe(false);
    expect(outcome.detail).toMatch(
      new RegExp(
        `^master 127\\.0\\.0\\.1:${oldMaster?.port} \\(pid ${oldMaster?.pid}\\) killed by SIGKILL; the sentinels promoted 127\\.0\\.0\\.1:${replica?.port} \\d+ ms later`,
      ),
    );
    // Sentinel needs down-after-milliseconds (1 s) to think it down before it fails over.
    expect(tookMs).toBeGreaterThanOrEqual(1_000);
    expect((await group.currentMaster()).port).toBe(replica?.port);
    const revived = group.servers().find((server) => server.port === oldMaster?.port);
    expect(revived?.role).toBe('replica');
    expect(revived?.pid).not.toBe(oldMaster?.pid);
    expect(await roleOf(oldMaster?.port ?? 0)).toBe('slave');
  }, 30_000);

  it('failover: SENTINEL FAILOVER promotes the replica, and the detail names both', async () => {
    // After kill-master above, the revived old master must be a linked replica before it can be promoted.
    const before = group.servers();
    const oldMaster = before.find((server) => server.role === 'master');
    const replica = before.find((server) => server.role === 'replica');
    await waitForLinkedReplica(replica?.port ?? 0);
    const outcome = await group.failover(new AbortController().signal);
    expect(outcome.detail).toMatch(
      new RegExp(
        `^SENTINEL FAILOVER: master 127\\.0\\.0\\.1:${oldMaster?.port} -> 127\\.0\\.0\\.1:${replica?.port} in \\d+ ms$`,
      ),
    );
    expect((await group.currentMaster()).port).toBe(replica?.port);
    expect(await roleOf(replica?.port ?? 0)).toBe('master');
    expect(group.servers().find((server) => server.role === 'master')?.port).toBe(replica?.port);
  }, 30_000);

  it('stop() ends every process and removes the sentinel configs holding the password', async () => {
    const servers = group.servers();
    await group.stop();
    await group.stop();
    for (const server of servers) expect(isAlive(server.pid)).toBe(false);
  }, 20_000);
});

async function waitForLinkedReplica(port: number): Promise<void> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    password: group.password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const deadline = performance.now() + 15_000;
    while (!/master_link_status:up/.test(await client.info('replication'))) {
      if (performance.now() > deadline) throw new Error(`replica on port ${port} did not link up within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    client.disconnect();
  }
}
