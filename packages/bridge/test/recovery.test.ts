// After any disconnect the bridge reconnects, resubscribes once, and reports the outage: cause, connections, duration.

import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBridge } from '../src/bridge.js';
import type { RecoveryInfo, StateChange } from '../src/outage.js';
import { connectionNameFor, type ConnectionRole } from '../src/redis-clients.js';
import type { BridgeState } from '../src/state.js';
import { clientIdsNamed, Fixture, numsub, uniqueNamespace, waitFor } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.close());

/** CLIENT KILL the bridge's own connections (never anyone else's: the suite's Redis is shared). */
async function kill(raw: Redis, bridge: EventBridge, roles: readonly ConnectionRole[]): Promise<void> {
  for (const role of roles) {
    const ids = await clientIdsNamed(raw, connectionNameFor(role, bridge.instanceId));
    expect(ids).toHaveLength(1);
    await raw.call('CLIENT', 'KILL', 'ID', ids[0]!);
  }
}

function record(bridge: EventBridge): { states: [BridgeState, StateChange][]; recovered: RecoveryInfo[] } {
  const log = { states: [] as [BridgeState, StateChange][], recovered: [] as RecoveryInfo[] };
  bridge.lifecycle.on('state', (state, _previous, change) => log.states.push([state, change]));
  bridge.lifecycle.on('recovered', (info) => log.recovered.push(info));
  return log;
}

describe('recovery', () => {
  it('both connections killed: reconnecting (connection-lost), then ready with the outage, subscribed when ready is emitted', async () => {
    const raw = await fixture.raw();
    const namespace = uniqueNamespace('recover');
    const [a, b] = await fixture.connected(2, { namespace });
    const log = record(a!);
    const numsubAtReady: Promise<number>[] = [];
    a!.lifecycle.on('state', (state) => {
      if (state === 'ready') numsubAtReady.push(numsub(raw, a!.channel));
    });
    await kill(raw, a!, ['publisher', 'subscriber']);
    await waitFor(() => log.recovered.length === 1, 'recovered');
    expect(log.states.map(([state]) => state)).toEqual(['reconnecting', 'ready']);
    const [[, down], [, up]] = log.states as [[BridgeState, StateChange], [BridgeState, StateChange]];
    expect(down).toMatchObject({ cause: 'connection-lost', outageMs: null });
    // 'reconnecting' names the connection that dropped first; the recovery names every one that dropped.
    expect(down.connections).toHaveLength(1);
    expect([...up.connections].sort()).toEqual(['publisher', 'subscriber']);
    expect(up).toEqual(log.recovered[0]);
    expect(up.outageMs).toBeGreaterThanOrEqual(0);
    expect(up.outageMs).toBeLessThan(5_000);
    // Asked the moment 'ready' was emitted: Redis already counted the resubscribed connection.
    expect(await Promise.all(numsubAtReady)).toEqual([2]);
    expect(a!.stats()).toMatchObject({ outages: 1, recoveries: 1, outputBufferDisconnects: 0, healthCheckFailures: 0 });
    const seen: unknown[] = [];
    a!.on('e', (data) => void seen.push(data));
    await b!.publish('e', 'after');
    await waitFor(() => seen.length === 1, 'delivery after recovery');
  });

  it('repeated reconnects of either connection never double a subscription: NUMSUB counts each instance once', async () => {
    const raw = await fixture.raw();
    const namespace = uniqueNamespace('repeat');
    const bridges = await fixture.connected(3, { namespace });
    const [a] = bridges;
    const log = record(a!);
    const kills: ConnectionRole[][] = [['subscriber'], ['publisher'], ['subscriber', 'publisher'], ['subscriber'], ['subscriber']];
    for (const [round, roles] of kills.entries()) {
      await kill(raw, a!, roles);
      await waitFor(() => log.recovered.length === round + 1, `recovery ${round + 1}`);
      expect(log.recovered[round]!.connections).toEqual(expect.arrayContaining(roles));
      expect(await numsub(raw, a!.channel)).toBe(3);
    }
    for (const bridge of bridges) {
      expect(await clientIdsNamed(raw, connectionNameFor('subscriber', bridge.instanceId))).toHaveLength(1);
      expect(await clientIdsNamed(raw, connectionNameFor('publisher', bridge.instanceId))).toHaveLength(1);
    }
    expect(a!.stats()).toMatchObject({ outages: kills.length, recoveries: kills.length });
    // One SUBSCRIBE per connection means one copy of each event.
    const got: number[] = [];
    a!.on('n', (data) => void got.push(data as number));
    for (let i = 0; i < 10; i++) await bridges[1]!.publish('n', i);
    await waitFor(() => got.length === 10, 'ten events');
    await bridges[2]!.publish('n', 10);
    await waitFor(() => got.length === 11, 'the marker event');
    expect(got).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it('a healthy subscriber killed under traffic is connection-lost, not output-buffer', async () => {
    const raw = await fixture.raw();
    const namespace = uniqueNamespace('healthy-kill');
    const [sender, receiver] = await fixture.connected(2, { namespace, healthCheckIntervalMs: 50 });
    const log = record(receiver!);
    let sending = true;
    const traffic = (async () => {
      while (sending) await sender!.publish('tick', null).catch(() => undefined);
    })();
    try {
      await waitFor(() => receiver!.stats().received > 200, 'traffic');
      await kill(raw, receiver!, ['subscriber']);
      await waitFor(() => log.recovered.length === 1, 'recovered');
    } finally {
      sending = false;
      await traffic;
    }
    expect(log.recovered[0]).toMatchObject({ cause: 'connection-lost', connections: ['subscriber'] });
    expect(receiver!.stats().outputBufferDisconnects).toBe(0);
  });
});
