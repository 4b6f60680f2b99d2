// The bridge behind a real Sentinel group (a master, a replica, three sentinels; down-after 1 s): it follows the
// master across a planned SENTINEL FAILOVER and across a SIGKILL of the master, resubscribes once on the new one,
// says so in its 'recovered' event, and logs no password. Every process is gone after.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateSentinel, type PrivateSentinel } from '../../../apps/coordinator/src/redis/private-sentinel.js';
import { EventBridge } from '../src/bridge.js';
import type { BridgeLogger } from '../src/logger.js';
import type { RecoveryInfo } from '../src/outage.js';
import { connectionNameFor, describeRedisTarget } from '../src/redis-clients.js';
import { resolveBridgeOptions } from '../src/options.js';
import { isAlive } from './private-redis.js';
import { uniqueNamespace, waitFor } from './helpers.js';

let group: PrivateSentinel;
const logged: string[] = [];
const logger: BridgeLogger = {
  warn: (object, message) => logged.push(JSON.stringify({ object, message }, errorFields)),
  error: (object, message) => logged.push(JSON.stringify({ object, message }, errorFields)),
};
let bridges: EventBridge[] = [];

/** JSON.stringify drops an Error's message and stack: keep them, so the secret check sees everything logged. */
function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

beforeAll(async () => {
  group = await startPrivateSentinel({ downAfterMs: 1_000, failoverTimeoutMs: 5_000 });
}, 30_000);

afterEach(async () => {
  await Promise.all(bridges.map((bridge) => bridge.close()));
  bridges = [];
});

afterAll(async () => {
  const pids = group?.servers().map((server) => server.pid) ?? [];
  await group?.stop();
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

interface Pair {
  publisher: EventBridge;
  subscriber: EventBridge;
  received: number[];
  recoveries: RecoveryInfo[];
}

async function connectedPair(): Promise<Pair> {
  const namespace = uniqueNamespace('sentinel');
  const make = (): EventBridge => new EventBridge({ redis: group.url, namespace, logger });
  const publisher = make();
  const subscriber = make();
  bridges.push(publisher, subscriber);
  const pair: Pair = { publisher, subscriber, received: [], recoveries: [] };
  subscriber.on('tick', (n) => {
    pair.received.push(n as number);
  });
  subscriber.lifecycle.on('recovered', (info) => pair.recoveries.push(info));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return pair;
}

/** Publishes 1, 2, 3... every 10 ms while the bridge is ready, until stopped; the numbers it published. */
function publishEvery10Ms(bridge: EventBridge): { stop: () => number[] } {
  const sent: number[] = [];
  let next = 1;
  const timer = setInterval(() => {
    const n = next++;
    bridge.publish('tick', n).then(
      () => sent.push(n),
      () => undefined,
    );
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return sent;
    },
  };
}

/** The `sub=` count of each of the pair's subscriber connections on the server at `port`, by CLIENT LIST. */
async function subscriptionsOn(port: number, pair: Pair): Promise<number[]> {
  const client = new Redis({ host: '127.0.0.1', port, password: group.password, lazyConnect: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const list = String(await client.call('CLIENT', 'LIST'));
    const names = [pair.publisher, pair.subscriber].map((bridge) => connectionNameFor('subscriber', bridge.instanceId));
    return list
      .split('\n')
      .filter((line) => names.some((name) => line.includes(` name=${name} `)))
      .map((line) => Number(/ sub=(\d+)/.exec(line)?.[1]));
  } finally {
    client.disconnect();
  }
}

/** Follows a fault: the subscriber recovers once, on the new master; what was published after that all arrives. */
async function throughFault(fault: () => Promise<unknown>): Promise<{ pair: Pair; newMaster: number }> {
  const pair = await connectedPair();
  const old = (await group.currentMaster()).port;
  const publishing = publishEvery10Ms(pair.publisher);
  await waitFor(() => pair.received.length >= 5, 'events before the fault');
  await fault();
  const newMaster = (await group.currentMaster()).port;
  expect(newMaster).not.toBe(old);
  await waitFor(() => pair.recoveries.length >= 1, "the subscriber's 'recovered' event", 15_000);
  await waitFor(() => pair.publisher.state === 'ready', 'the publisher ready again', 15_000);
  const afterRecovery = pair.received.length;
  await waitFor(() => pair.received.length >= afterRecovery + 20, 'events after the recovery', 5_000);
  const sent = publishing.stop();
  // Everything sent from the first event received after the recovery on arrives (pub/sub loses only the outage).
  const firstAfter = pair.received[afterRecovery] ?? Number.POSITIVE_INFINITY;
  await waitFor(
    () => sent.filter((n) => n >= firstAfter).every((n) => pair.received.includes(n)),
    'every event published after the recovery',
  );
  expect(pair.recoveries).toHaveLength(1);
  expect(pair.recoveries[0]).toMatchObject({ server: `127.0.0.1:${newMaster}`, serverChanged: true });
  return { pair, newMaster };
}

describe('the bridge behind Sentinel', () => {
  it('reads the redis+sentinel:// URL and describes it without the password', async () => {
    const target = describeRedisTarget(resolveBridgeOptions({ redis: group.url }));
    expect(target).toMatch(/^redis\+sentinel:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\/evbridge$/);
    const pair = await connectedPair();
    await pair.publisher.publish('tick', 1);
    await waitFor(() => pair.received.includes(1), 'the event through the master the sentinels name');
  });

  it('follows a planned SENTINEL FAILOVER, resubscribing once on the new master', async () => {
    const { pair, newMaster } = await throughFault(() => group.failover(new AbortController().signal));
    // Each bridge's subscriber connection is on the new master, subscribed to its one channel once.
    expect(await subscriptionsOn(newMaster, pair)).toEqual([1, 1]);
    expect(pair.recoveries[0]?.outageMs).toBeLessThan(5_000);
  }, 30_000);

  it('follows a SIGKILL of the master once the sentinels promote the replica', async () => {
    const { pair } = await throughFault(() => group.killMaster(new AbortController().signal));
    // Sentinel waits down-after-milliseconds (1 s) before it even thinks the master down.
    expect(pair.recoveries[0]?.outageMs).toBeGreaterThanOrEqual(1_000);
    expect(pair.recoveries[0]?.cause).toBe('connection-lost');
  }, 30_000);

  it('never logged the password', () => {
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).not.toContain(group.password);
  });
});
