// connections: 'shared': one RESP3 connection publishes and receives; it delivers, filters its own echoes, recovers.

import { afterEach, describe, expect, it } from 'vitest';
import { EventBridge } from '../src/bridge.js';
import { resolveBridgeOptions } from '../src/options.js';
import { BridgeConnectError } from '../src/errors.js';
import type { StateChange } from '../src/outage.js';
import { connectionNameFor } from '../src/redis-clients.js';
import type { BridgeState } from '../src/state.js';
import { clientIdsNamed, Fixture, numsub, uniqueNamespace, waitFor } from './helpers.js';
import { isAlive, PausableRedis } from './private-redis.js';

const fixture = new Fixture();
let redis: PausableRedis | undefined;

afterEach(async () => {
  // Thawed before the bridges close: a frozen Redis would hold each close() for closeTimeoutMs.
  redis?.thaw();
  await fixture.close();
  const server = redis;
  redis = undefined;
  if (server === undefined) return;
  await server.stop();
  expect(isAlive(server.pid)).toBe(false);
});

/** The CLIENT LIST line of every connection whose name ends with the bridge's instance id. */
async function connectionsOf(bridge: EventBridge): Promise<string[]> {
  const raw = await fixture.raw();
  const list = (await raw.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => line.includes(`:${bridge.instanceId} `));
}

/** Every lifecycle state change of `bridge` from now on; the `ready` that ends an outage carries its RecoveryInfo. */
function stateLog(bridge: EventBridge): [BridgeState, StateChange][] {
  const states: [BridgeState, StateChange][] = [];
  bridge.lifecycle.on('state', (state, _previous, change) => states.push([state, change]));
  return states;
}

describe("connections: 'shared'", () => {
  it('opens one RESP3 connection, subscribed and named evbridge:pubsub:<instanceId>', async () => {
    const [bridge] = await fixture.connected(1, { namespace: uniqueNamespace('shared'), connections: 'shared' });
    const lines = await connectionsOf(bridge!);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(` name=${connectionNameFor('shared', bridge!.instanceId)} `);
    expect(lines[0]).toMatch(/ sub=1 /);
    expect(lines[0]).toMatch(/ resp=3\b/);
  });

  it('delivers to separate and shared bridges, receives from them, and filters its own echoes', async () => {
    const namespace = uniqueNamespace('shared');
    const [shared, otherShared] = await fixture.connected(2, { namespace, connections: 'shared' });
    const [separate] = await fixture.connected(1, { namespace });
    const seen = new Map<EventBridge, unknown[]>();
    for (const bridge of [shared!, otherShared!, separate!]) {
      const events: unknown[] = [];
      seen.set(bridge, events);
      bridge.on('n', (data) => void events.push(data));
    }
    // PUBLISH's reply counts every subscriber, the shared connection itself included.
    expect(await shared!.publish('n', 'from-shared')).toBe(3);
    await separate!.publish('n', 'from-separate');
    await waitFor(
      () =>
        seen.get(otherShared!)!.length === 2 && seen.get(separate!)!.length === 1 && seen.get(shared!)!.length === 1,
      'every event at every other bridge',
    );
    await waitFor(() => shared!.stats().selfEchoesFiltered === 1, 'the own echo filtered');
    expect(seen.get(shared!)).toEqual(['from-separate']);
    expect(seen.get(separate!)).toEqual(['from-shared']);
    expect(seen.get(otherShared!)).toEqual(['from-shared', 'from-separate']);
    expect(shared!.stats()).toMatchObject({ published: 1, received: 2, deliveredToHandlers: 1, selfReceived: 0 });
  });

  it('recovers after CLIENT KILL of its one connection: both roles in the outage, subscribed once, delivering again', async () => {
    const raw = await fixture.raw();
    const namespace = uniqueNamespace('shared-kill');
    const [shared, other] = await fixture.connected(2, { namespace, connections: 'shared' });
    const states = stateLog(shared!);
    const ids = await clientIdsNamed(raw, connectionNameFor('shared', shared!.instanceId));
    expect(ids).toHaveLength(1);
    await raw.call('CLIENT', 'KILL', 'ID', ids[0]!);
    await waitFor(() => states.length === 2, 'reconnecting, then ready');
    expect(states.map(([state]) => state)).toEqual(['reconnecting', 'ready']);
    expect(states[0]![1]).toMatchObject({ cause: 'connection-lost', outageMs: null });
    expect(states[1]![1]).toMatchObject({ cause: 'connection-lost' });
    expect([...states[1]![1].connections].sort()).toEqual(['publisher', 'subscriber']);
    expect(shared!.stats()).toMatchObject({ outages: 1, recoveries: 1 });
    expect(await numsub(raw, shared!.channel)).toBe(2);
    expect(await clientIdsNamed(raw, connectionNameFor('shared', shared!.instanceId))).toHaveLength(1);
    const atShared: unknown[] = [];
    const atOther: unknown[] = [];
    shared!.on('e', (data) => void atShared.push(data));
    other!.on('e', (data) => void atOther.push(data));
    await shared!.publish('e', 'after-from-shared');
    await other!.publish('e', 'after-from-other');
    await waitFor(() => atShared.length === 1 && atOther.length === 1, 'delivery both ways after recovery');
    expect(atShared).toEqual(['after-from-other']);
    expect(atOther).toEqual(['after-from-shared']);
  });

  it('a stopped Redis is noticed by the health check of the one connection; after SIGCONT it delivers again', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('shared-stop');
    const health = { healthCheckIntervalMs: 200, healthCheckTimeoutMs: 500 };
    const [shared, other] = await fixture.connected(2, {
      redis: redis.url,
      namespace,
      connections: 'shared',
      ...health,
    });
    const states = stateLog(shared!);
    redis.freeze();
    await waitFor(() => shared!.state === 'reconnecting', 'the shared bridge reconnecting', 5_000);
    expect(states[0]![1].cause).toBe('health-check');
    redis.thaw();
    await waitFor(() => states.length === 2 && other!.state === 'ready', 'both ready again', 10_000);
    expect(states[1]).toMatchObject(['ready', { cause: 'health-check' }]);
    expect(shared!.stats().healthCheckFailures).toBeGreaterThanOrEqual(1);
    const seen: unknown[] = [];
    other!.on('e', (data) => void seen.push(data));
    await shared!.publish('e', 'after');
    await waitFor(() => seen.length === 1, 'delivery after recovery');
  });

  it('close() unsubscribes and quits the one connection', async () => {
    const raw = await fixture.raw();
    const [bridge] = await fixture.connected(1, { namespace: uniqueNamespace('shared-close'), connections: 'shared' });
    expect(await numsub(raw, bridge!.channel)).toBe(1);
    await bridge!.close();
    expect(bridge!.state).toBe('closed');
    expect(await numsub(raw, bridge!.channel)).toBe(0);
    expect(await connectionsOf(bridge!)).toEqual([]);
  });

  it('on a RESP2 connection connect() rejects naming the fix, and the bridge is idle again', async () => {
    const bridge = fixture.bridge({
      namespace: uniqueNamespace('shared-resp2'),
      connections: 'shared',
      redisOptions: { protocol: 2 },
    });
    const error = await bridge.connect().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BridgeConnectError);
    expect((error as Error).message).toContain(
      'the connection speaks RESP2 (Redis refused HELLO 3, or the options say protocol: 2)',
    );
    expect((error as Error).message).toContain("Use options.connections 'separate'");
    expect(bridge.state).toBe('idle');
    expect(await connectionsOf(bridge)).toEqual([]);
  });

  it("is 'separate' by default, and anything but 'separate' or 'shared' is a TypeError", () => {
    expect(resolveBridgeOptions({ redis: 'redis://localhost' }).connections).toBe('separate');
    expect(() => new EventBridge({ redis: 'redis://localhost', connections: 'one' as never })).toThrow(
      new TypeError("options.connections must be one of 'separate', 'shared'"),
    );
  });
});
