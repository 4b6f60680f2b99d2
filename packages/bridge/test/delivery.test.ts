// Delivery between bridges: everyone hears the others and never itself; counters add up exactly.

import { afterEach, describe, expect, it } from 'vitest';
import type { EventMeta } from '../src/envelope.js';
import { Fixture, uniqueNamespace, waitFor } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.close());

type TestEvents = { tick: { n: number }; other: string };

describe('delivery between bridges', () => {
  it('three bridges: each receives the others’ events and none of its own, counters exact', async () => {
    const namespace = uniqueNamespace('three');
    const bridges = await fixture.connected<TestEvents>(3, { namespace });
    const perBridge = 50;
    const heard = bridges.map(() => [] as EventMeta[]);
    for (const [i, bridge] of bridges.entries()) bridge.on('tick', (_data, meta) => void heard[i]!.push(meta));

    const replies: number[] = [];
    for (let n = 0; n < perBridge; n++) {
      for (const bridge of bridges) replies.push(await bridge.publish('tick', { n }));
    }
    // PUBLISH reports every subscriber of the channel, the sender's own included.
    expect(new Set(replies)).toEqual(new Set([3]));

    const expectedEach = perBridge * (bridges.length - 1);
    await waitFor(() => heard.every((h) => h.length === expectedEach), 'every bridge to hear its peers');
    await waitFor(() => bridges.every((b) => b.stats().selfEchoesFiltered === perBridge), 'own echoes to arrive');

    bridges.forEach((bridge, i) => {
      const own = bridge.instanceId;
      expect(heard[i]!.some((m) => m.source === own)).toBe(false);
      const stats = bridge.stats();
      expect(stats).toMatchObject({
        published: perBridge,
        publishFailed: 0,
        received: perBridge * bridges.length,
        selfEchoesFiltered: perBridge,
        deliveredToHandlers: expectedEach,
        selfReceived: 0,
        malformed: 0,
        handlerErrors: 0,
        identityCollisions: 0,
      });
      expect(stats.received).toBe(stats.selfEchoesFiltered + stats.malformed + stats.deliveredToHandlers);
      // Per source: seq 0..49 in order, ids source/seq, microsecond timestamps non-decreasing.
      for (const peer of bridges.filter((b) => b !== bridge)) {
        const fromPeer = heard[i]!.filter((m) => m.source === peer.instanceId);
        expect(fromPeer.map((m) => m.seq)).toEqual(Array.from({ length: perBridge }, (_, k) => k));
        expect(fromPeer.every((m) => m.id === `${peer.instanceId}/${m.seq}`)).toBe(true);
        expect(
          fromPeer.every((m) => m.pid === process.pid && m.host === peer.host && m.nonce === peer.identity.nonce),
        ).toBe(true);
        const stamps = fromPeer.map((m) => m.timestampUs);
        expect(stamps.every((ts, k) => Number.isInteger(ts) && (k === 0 || ts >= stamps[k - 1]!))).toBe(true);
        expect(Math.abs(stamps[0]! - Date.now() * 1000)).toBeLessThan(60_000_000);
      }
    });
    expect(bridges.map((b) => b.nextSeq)).toEqual([perBridge, perBridge, perBridge]);
  });

  it('passes data through unchanged, with type and version in meta', async () => {
    const namespace = uniqueNamespace('data');
    const [a, b] = await fixture.connected<TestEvents>(2, { namespace });
    const got: [unknown, EventMeta][] = [];
    b!.on('other', (data, meta) => void got.push([data, meta]));
    await a!.publish('other', 'héllo ✓ "quoted"');
    await waitFor(() => got.length === 1, 'the event');
    expect(got[0]![0]).toBe('héllo ✓ "quoted"');
    expect(got[0]![1]).toMatchObject({ type: 'other', version: 1, source: a!.instanceId, seq: 0 });
  });

  it('namespaces do not see each other', async () => {
    const [a1, a2] = await fixture.connected(2, { namespace: uniqueNamespace('ns-a') });
    const [b1] = await fixture.connected(1, { namespace: uniqueNamespace('ns-b') });
    expect(await a1!.publish('x', 1)).toBe(2);
    expect(await b1!.publish('x', 2)).toBe(1);
    await waitFor(() => a2!.stats().deliveredToHandlers === 1, 'a2 to hear a1');
    await waitFor(() => b1!.stats().selfEchoesFiltered === 1, 'b1 own echo');
    expect(a2!.stats().received).toBe(1);
    expect(b1!.stats().received).toBe(1);
    expect(b1!.stats().deliveredToHandlers).toBe(0);
  });

  it('dispatches to type handlers and onAny; unsubscribe stops delivery', async () => {
    const namespace = uniqueNamespace('handlers');
    const [a, b] = await fixture.connected<TestEvents>(2, { namespace });
    const ticks: number[] = [];
    const any: string[] = [];
    const off = b!.on('tick', (data) => void ticks.push(data.n));
    const offAny = b!.onAny((type) => void any.push(type));
    await a!.publish('tick', { n: 1 });
    await a!.publish('other', 'o');
    await waitFor(() => any.length === 2, 'two events');
    expect(ticks).toEqual([1]);
    expect(any).toEqual(['tick', 'other']);
    off();
    off();
    offAny();
    await a!.publish('tick', { n: 2 });
    await waitFor(() => b!.stats().deliveredToHandlers === 3, 'third event');
    expect(ticks).toEqual([1]);
    expect(any).toEqual(['tick', 'other']);
  });
});
