// After any disconnect the bridge reconnects, resubscribes once, and reports the outage: cause, connections, duration.

import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBridge } from '../src/bridge.js';
import { BridgeError } from '../src/errors.js';
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
    const kills: ConnectionRole[][] = [
      ['subscriber'],
      ['publisher'],
      ['subscriber', 'publisher'],
      ['subscriber'],
      ['subscriber'],
    ];
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

  it('publishes in flight when the publisher is killed each settle once: acknowledged, or rejected and never resent', async () => {
    const raw = await fixture.raw();
    const namespace = uniqueNamespace('kill-pub');
    const [sender, receiver] = await fixture.connected(2, { namespace });
    const seqs: number[] = [];
    receiver!.on('n', (_data, meta) => void seqs.push(meta.seq));
    const ids = await clientIdsNamed(raw, connectionNameFor('publisher', sender!.instanceId));
    const outcomes: Promise<unknown>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++)
        outcomes.push(
          sender!.publish('n', i).then(
            () => 'ok',
            (error: unknown) => error,
          ),
        );
      if (round === 2) void raw.call('CLIENT', 'KILL', 'ID', ids[0]!);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const settled = await Promise.all(outcomes);
    const acknowledged = settled.filter((o) => o === 'ok').length;
    const failed = settled.filter((o) => o instanceof BridgeError);
    expect(acknowledged + failed.length).toBe(2_000);
    expect(failed.length).toBeGreaterThan(0);
    expect(sender!.stats()).toMatchObject({ published: acknowledged, publishFailed: failed.length });
    expect(sender!.pendingPublishes).toBe(0);
    await waitFor(() => sender!.state === 'ready', 'the sender ready again');
    await sender!.publish('n', 'marker');
    await waitFor(() => seqs.includes(sender!.nextSeq - 1), 'the marker');
    // Every acknowledged event arrived; rejected ones may have (Redis ran them before the kill), but none twice.
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length).toBeGreaterThanOrEqual(acknowledged + 1);
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
