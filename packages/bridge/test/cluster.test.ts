// The bridge on a real Redis Cluster (3 masters, 1 replica each): sharded pub/sub over channels on every shard,
// delivery between several bridges, receiver counts, a slot moved to another master, and recovery across a planned
// failover and a SIGKILLed master.

import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateCluster, type PrivateCluster } from '../../../apps/coordinator/src/redis/private-cluster.js';
import { askServer } from '../../../apps/coordinator/src/redis/probe.js';
import { EventBridge } from '../src/bridge.js';
import { crc16, keySlot } from '../src/cluster-slot.js';
import { BridgeConnectError } from '../src/errors.js';
import { resolveBridgeOptions } from '../src/options.js';
import type { RecoveryInfo } from '../src/outage.js';
import { publishChannelFor, shardChannelsFor } from '../src/shard-channels.js';
import { isAlive } from './private-redis.js';
import { uniqueNamespace, waitFor } from './helpers.js';

type Events = { tick: { from: string; n: number } };

describe('keySlot', () => {
  it('is CRC16/XMODEM mod 16384 of the key or its first non-empty {hash tag}, as the Cluster spec says', () => {
    expect(crc16('123456789')).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('{user1000}.following')).toBe(3443);
    // An empty tag does not count: the whole key is hashed.
    expect(keySlot('{}user1000')).toBe(crc16('{}user1000') % 16384);
  });
});

describe('options for a Cluster', () => {
  it('a redis+cluster:// URL gives the shard channels, one slot each', () => {
    const resolved = resolveBridgeOptions({
      redis: 'redis+cluster://:pw@127.0.0.1:7000,127.0.0.1:7001',
      namespace: 'ns',
    });
    expect(resolved.cluster?.nodes).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: '127.0.0.1', port: 7001 },
    ]);
    expect(resolved.shardChannels).toHaveLength(16);
    expect(resolved.shardChannels[3]).toBe('ns:events:{3}');
    expect(new Set(resolved.shardChannels.map(keySlot)).size).toBe(16);
    expect(resolveBridgeOptions({ redis: 'redis://127.0.0.1:6379' }).shardChannels).toEqual([]);
  });

  it('refuses a bad shardChannels and a bad cluster URL, naming the fix and never the password', () => {
    expect(() => resolveBridgeOptions({ redis: 'redis+cluster://127.0.0.1:7000', shardChannels: 0 })).toThrow(
      'options.shardChannels must be an integer from 1 to 1024 (the same on every bridge)',
    );
    expect(() => resolveBridgeOptions({ redis: 'redis+cluster://:secret@127.0.0.1:7000/0' })).toThrow(
      /^options\.redis: a redis\+cluster:\/\/ URL takes no path/,
    );
  });

  it('a publisher keeps one channel, and publishers spread over the channels', () => {
    const channels = shardChannelsFor('ns', 16);
    expect(publishChannelFor('host:1:a', channels)).toBe(publishChannelFor('host:1:a', channels));
    const used = new Set(Array.from({ length: 64 }, (_, i) => publishChannelFor(`host:${i}:x`, channels)));
    expect(used.size).toBeGreaterThan(8);
  });
});

describe('EventBridge on a real Redis Cluster', () => {
  let cluster: PrivateCluster;
  const bridges: EventBridge<Events>[] = [];

  beforeAll(async () => {
    cluster = await startPrivateCluster({ nodeTimeoutMs: 1_000 });
  }, 30_000);

  afterEach(async () => {
    await Promise.all(bridges.map((bridge) => bridge.close()));
    bridges.length = 0;
  });

  afterAll(async () => {
    const pids = cluster?.servers().map((server) => server.pid) ?? [];
    await cluster?.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  /** The shard-master owner (`host:port`) of each slot, as a fresh cluster client sees it. */
  async function slotOwners(): Promise<(slot: number) => string | undefined> {
    const seed = cluster.servers()[0];
    const client = new Cluster([{ host: seed?.host ?? '', port: seed?.port ?? 0 }], {
      redisOptions: { password: cluster.password },
      lazyConnect: true,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const slots = client.slots.map((owners) => owners[0]);
      return (slot) => slots[slot];
    } finally {
      client.disconnect();
    }
  }

  /** `count` connected bridges whose publish channels sit on as many different shards as there are. */
  async function spreadBridges(namespace: string, count: number): Promise<EventBridge<Events>[]> {
    const owner = await slotOwners();
    const channels = shardChannelsFor(namespace, 16);
    const ids: string[] = [];
    const shardsUsed = new Set<string | undefined>();
    for (let i = 0; ids.length < count && i < 1_000; i++) {
      const id = `cluster-test:${i}`;
      const shard = owner(keySlot(publishChannelFor(id, channels)));
      if (shardsUsed.has(shard) && shardsUsed.size < 3) continue;
      shardsUsed.add(shard);
      ids.push(id);
    }
    const made = ids.map(
      (instanceId) =>
        new EventBridge<Events>({ redis: cluster.url, namespace, instanceId, healthCheckIntervalMs: 1_000 }),
    );
    bridges.push(...made);
    await Promise.all(made.map((bridge) => bridge.connect()));
    return made;
  }

  /** Every bridge publishes `n` events; each resolves with SPUBLISH's receiver count. */
  async function publishAll(all: EventBridge<Events>[], n: number, from = 0): Promise<number[]> {
    const replies: number[] = [];
    for (let i = from; i < from + n; i++) {
      for (const bridge of all) replies.push(await bridge.publish('tick', { from: bridge.instanceId, n: i }));
    }
    return replies;
  }

  function collect(all: EventBridge<Events>[]): Map<string, string[]> {
    const received = new Map<string, string[]>();
    for (const bridge of all) {
      const list: string[] = [];
      received.set(bridge.instanceId, list);
      bridge.on('tick', (data) => {
        list.push(`${data.from}#${data.n}`);
      });
    }
    return received;
  }

  it('delivers between bridges publishing on channels of different shards, in order, with receiver counts', async () => {
    const namespace = uniqueNamespace('cluster');
    const all = await spreadBridges(namespace, 3);
    const owner = await slotOwners();
    const channels = shardChannelsFor(namespace, 16);
    expect(new Set(channels.map((channel) => owner(keySlot(channel)))).size).toBe(3);
    expect(new Set(all.map((bridge) => owner(keySlot(publishChannelFor(bridge.instanceId, channels))))).size).toBe(3);
    const received = collect(all);
    const replies = await publishAll(all, 20);
    // Every bridge is subscribed to every shard channel on its master: each SPUBLISH reaches all three.
    expect(new Set(replies)).toEqual(new Set([3]));
    for (const bridge of all) {
      const expected = all
        .filter((other) => other !== bridge)
        .flatMap((other) => Array.from({ length: 20 }, (_, n) => `${other.instanceId}#${n}`));
      await waitFor(() => (received.get(bridge.instanceId)?.length ?? 0) >= expected.length, 'every event');
      const got = received.get(bridge.instanceId) ?? [];
      expect([...got].sort()).toEqual([...expected].sort());
      // Per publisher, in publish order.
      for (const other of all.filter((o) => o !== bridge)) {
        const mine = got.filter((entry) => entry.startsWith(`${other.instanceId}#`));
        expect(mine).toEqual(Array.from({ length: 20 }, (_, n) => `${other.instanceId}#${n}`));
      }
    }
  }, 20_000);

  it('refuses a wrong password at once, naming the fix and not the password', async () => {
    const wrong = cluster.url.replace(`:${cluster.password}@`, ':not-the-password@');
    const bridge = new EventBridge<Events>({ redis: wrong, connectTimeoutMs: 5_000 });
    bridges.push(bridge);
    const started = performance.now();
    const error = await bridge.connect().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BridgeConnectError);
    expect(String((error as Error).message)).toMatch(/Check the username and password in options\.redis/);
    expect(String((error as Error).message)).not.toContain('not-the-password');
    expect(performance.now() - started).toBeLessThan(4_000);
  });

  it("follows a shard channel's slot when it moves to another master, and delivers on it again", async () => {
    const namespace = uniqueNamespace('cluster-move');
    const all = await spreadBridges(namespace, 3);
    const received = collect(all);
    const channels = shardChannelsFor(namespace, 16);
    const moved = publishChannelFor(all[0]?.instanceId ?? '', channels);
    const slot = keySlot(moved);
    const owner = await slotOwners();
    const from = owner(slot);
    const masters = cluster.servers().filter((server) => server.role === 'master');
    const source = masters.find((server) => `${server.host}:${server.port}` === from);
    const target = masters.find((server) => server !== source);
    if (source === undefined || target === undefined) throw new Error(`no master owns slot ${slot} (${from})`);
    const ask = (server: (typeof masters)[number], ...args: string[]) =>
      askServer({ host: server.host, port: server.port, password: cluster.password }, args);
    const sourceId = String(await ask(source, 'CLUSTER', 'MYID'));
    const targetId = String(await ask(target, 'CLUSTER', 'MYID'));
    // The slot holds no key (pub/sub keeps none): the whole migration is the handover of ownership.
    await ask(target, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId);
    await ask(source, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId);
    await ask(target, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId);
    await ask(source, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId);
    for (const other of masters.filter((server) => server !== source && server !== target)) {
      await ask(other, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId);
    }
    expect((await slotOwners())(slot)).toBe(`${target.host}:${target.port}`);
    // The moved channel's SPUBLISH now runs on the target; it reaches every bridge once each is subscribed there.
    const deadline = performance.now() + 10_000;
    for (;;) {
      const reply = await all[0]?.publish('tick', { from: all[0].instanceId, n: 900 }).catch(() => -1);
      if (reply === all.length) break;
      if (performance.now() > deadline) throw new Error(`SPUBLISH on the moved slot still reached ${reply} bridges`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const bridge of all) await waitFor(() => bridge.state === 'ready', `${bridge.instanceId} ready`, 10_000);
    const before = new Map([...received].map(([id, list]) => [id, list.length]));
    const replies = await publishAll(all, 10, 1_000);
    expect(new Set(replies)).toEqual(new Set([all.length]));
    for (const bridge of all) {
      await waitFor(
        () => (received.get(bridge.instanceId)?.length ?? 0) - (before.get(bridge.instanceId) ?? 0) >= 20,
        `${bridge.instanceId} to receive after the slot moved`,
      );
    }
  }, 30_000);

  for (const fault of ['failover', 'killNode'] as const) {
    it(`recovers across ${fault === 'failover' ? 'a planned failover' : 'a SIGKILLed shard master'}, reporting the outage`, async () => {
      const all = await spreadBridges(uniqueNamespace(`cluster-${fault}`), 3);
      const recovered = new Map<string, RecoveryInfo[]>();
      const reconnecting = new Map<string, number>();
      for (const bridge of all) {
        bridge.lifecycle.on('state', (state) => {
          if (state === 'reconnecting')
            reconnecting.set(bridge.instanceId, (reconnecting.get(bridge.instanceId) ?? 0) + 1);
        });
        const list: RecoveryInfo[] = [];
        recovered.set(bridge.instanceId, list);
        bridge.lifecycle.on('recovered', (info) => list.push(info));
      }
      const received = collect(all);
      const { detail } = await cluster[fault](new AbortController().signal);
      expect(detail).toMatch(fault === 'failover' ? /^CLUSTER FAILOVER/ : /^SIGKILLed shard \d/);
      if (fault === 'failover') {
        // Until ioredis learns the new owner (a MOVED, a refresh) its subscribers stay on the demoted master, which
        // Redis still feeds the shard's messages, but SPUBLISH on the new master counts none of them: wait until
        // every publisher's count is whole again (each bridge subscribed on the new master), within 5 s.
        const deadline = performance.now() + 5_000;
        // (The bridge notices when ioredis refreshes its slots: a publish then fails fast while it is reconnecting.)
        const whole = () =>
          publishAll(all, 1, 900).then(
            (replies) => replies.every((reply) => reply === 3),
            () => false,
          );
        while (!(await whole())) {
          if (performance.now() > deadline) throw new Error('receiver counts did not come back to 3 within 5 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      // A SIGKILLed master closes every bridge's subscriber on that shard: each bridge notices and subscribes again.
      // A planned failover may cost no outage at all (Redis sends a shard's SPUBLISH to its replicas' subscribers
      // too, and ioredis moves the subscriber in the background); when a bridge did leave ready, it came back.
      for (const bridge of all) {
        const list = (): RecoveryInfo[] => recovered.get(bridge.instanceId) ?? [];
        const outages = (): number => reconnecting.get(bridge.instanceId) ?? 0;
        await waitFor(
          () => bridge.state === 'ready' && list().length === outages() && (fault === 'failover' || outages() >= 1),
          `${bridge.instanceId} to recover`,
          10_000,
        );
        for (const info of list()) {
          expect(info.cause).toBe('connection-lost');
          expect(info.connections).toContain('subscriber');
          expect(info.outageMs).toBeGreaterThanOrEqual(0);
          expect(info.server?.split(',')).toHaveLength(3);
        }
        // A SIGKILLed master's shard is served by another node afterwards.
        if (fault === 'killNode') expect(list().some((info) => info.serverChanged)).toBe(true);
      }
      // After the recovery nothing is lost: every bridge gets every other's events again.
      const before = new Map([...received].map(([id, list]) => [id, list.length]));
      const replies = await publishAll(all, 10, 1_000);
      expect(new Set(replies)).toEqual(new Set([3]));
      for (const bridge of all) {
        await waitFor(
          () => (received.get(bridge.instanceId)?.length ?? 0) - (before.get(bridge.instanceId) ?? 0) >= 20,
          `${bridge.instanceId} to receive after the recovery`,
        );
      }
    }, 30_000);
  }
});
