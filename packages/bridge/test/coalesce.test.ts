// coalesce: 'tick' against a real Redis: one PUBLISH per turn, delivered in order, own batches filtered, bad ones counted.

import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { EventMeta } from '../src/envelope.js';
import { BridgePublishError } from '../src/errors.js';
import { Fixture, uniqueNamespace, waitFor } from './helpers.js';
import { isAlive, PausableRedis } from './private-redis.js';

const fixture = new Fixture();
let redis: PausableRedis | undefined;

afterEach(async () => {
  await fixture.close();
  const pid = redis?.pid;
  await redis?.stop();
  redis = undefined;
  if (pid !== undefined) expect(isAlive(pid)).toBe(false);
});

/** PUBLISH calls the server has run so far (INFO commandstats): nothing else publishes on a private server. */
async function publishCalls(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  const match = /^cmdstat_publish:calls=(\d+),/m.exec(info);
  return match === null ? 0 : Number(match[1]);
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("coalesce: 'tick'", () => {
  it('carries 100 publishes of one turn in ONE PUBLISH to a non-coalescing bridge, in order, each with its seq and id', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('coalesce');
    const sender = fixture.bridge({ redis: redis.url, namespace, coalesce: 'tick' });
    const receiver = fixture.bridge({ redis: redis.url, namespace });
    await Promise.all([sender.connect(), receiver.connect()]);
    const seen: [unknown, EventMeta][] = [];
    receiver.on('n', (data, meta) => void seen.push([data, meta]));
    const control = await fixture.raw(redis.url);
    const before = await publishCalls(control);

    const replies = Array.from({ length: 100 }, (_, i) => sender.publish('n', { i }));
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 100 }, () => 2));
    await waitFor(() => seen.length === 100, '100 events');

    expect((await publishCalls(control)) - before).toBe(1);
    expect(seen.map(([data]) => data)).toEqual(Array.from({ length: 100 }, (_, i) => ({ i })));
    seen.forEach(([, meta], i) => {
      expect(meta).toMatchObject({ seq: i, id: `${sender.instanceId}/${i}`, source: sender.instanceId, type: 'n' });
      expect(meta.nonce).toBe(sender.identity.nonce);
    });
    const timestamps = seen.map(([, meta]) => meta.timestampUs);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    expect(sender.stats()).toMatchObject({ published: 100, publishFailed: 0 });
    expect(receiver.stats()).toMatchObject({ received: 100, deliveredToHandlers: 100, malformed: 0 });
  });

  it('sends the publishes of different turns in different messages', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('coalesce');
    const sender = fixture.bridge({ redis: redis.url, namespace, coalesce: 'tick' });
    const receiver = fixture.bridge({ redis: redis.url, namespace, coalesce: 'tick' });
    await Promise.all([sender.connect(), receiver.connect()]);
    const seqs: number[] = [];
    receiver.onAny((_type, _data, meta) => void seqs.push(meta.seq));
    const control = await fixture.raw(redis.url);
    const before = await publishCalls(control);
    const pending: Promise<number>[] = [];
    for (let turn = 0; turn < 3; turn++) {
      pending.push(sender.publish('a', turn), sender.publish('b', turn));
      await nextTurn();
    }
    await Promise.all(pending);
    await waitFor(() => seqs.length === 6, 'six events');
    expect((await publishCalls(control)) - before).toBe(3);
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('drops its own batches as echoes, once per event, with onSelfEcho for each', async () => {
    const echoes: [string, unknown, number][] = [];
    const namespace = uniqueNamespace('coalesce');
    const [bridge] = await fixture.connected(1, {
      namespace,
      coalesce: 'tick',
      onSelfEcho: (type, data, meta) => void echoes.push([type, data, meta.seq]),
    });
    const handled: unknown[] = [];
    bridge!.onAny((type) => void handled.push(type));
    await Promise.all([bridge!.publish('x', 1), bridge!.publish('y', 2), bridge!.publish('x', 3)]);
    await waitFor(() => bridge!.stats().selfEchoesFiltered === 3, 'three echoes');
    expect(echoes).toEqual([
      ['x', 1, 0],
      ['y', 2, 1],
      ['x', 3, 2],
    ]);
    expect(handled).toEqual([]);
    const stats = bridge!.stats();
    expect(stats).toMatchObject({ received: 3, selfEchoesFiltered: 3, deliveredToHandlers: 0, identityCollisions: 0 });
  });

  it('splits a turn above coalesceMaxEvents or maxPayloadBytes, and every event still arrives in order', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('coalesce');
    const options = { redis: redis.url, namespace, maxPayloadBytes: 4_096 };
    const sender = fixture.bridge({ ...options, coalesce: 'tick', coalesceMaxEvents: 20 });
    const receiver = fixture.bridge(options);
    await Promise.all([sender.connect(), receiver.connect()]);
    const seqs: number[] = [];
    receiver.onAny((_type, _data, meta) => void seqs.push(meta.seq));
    const control = await fixture.raw(redis.url);

    const byCount = await publishCalls(control);
    await Promise.all(Array.from({ length: 50 }, (_, i) => sender.publish('small', i)));
    expect((await publishCalls(control)) - byCount).toBe(3);

    const bySize = await publishCalls(control);
    // ~1 KiB each: at most three fit in 4 KiB with the batch's head.
    await Promise.all(Array.from({ length: 10 }, () => sender.publish('big', 'x'.repeat(1_000))));
    expect((await publishCalls(control)) - bySize).toBe(4);

    await waitFor(() => seqs.length === 60, 'sixty events');
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(receiver.stats().malformed).toBe(0);
  });

  it('rejects every publish of a batch whose PUBLISH Redis refuses, and counts each', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('coalesce');
    const admin = await fixture.raw(redis.url);
    // A user that may subscribe but not publish: connect() works, the batch's one PUBLISH is refused (NOPERM).
    await admin.call('ACL', 'SETUSER', 'nopublish', 'reset', 'on', '>secret-pw', 'allchannels', '+@all', '-publish');
    const url = new URL(redis.url);
    url.username = 'nopublish';
    url.password = 'secret-pw';
    const [bridge] = await fixture.connected(1, { redis: url.toString(), namespace, coalesce: 'tick' });
    const before = await publishCalls(admin);
    const results = await Promise.allSettled([
      bridge!.publish('a', 1),
      bridge!.publish('b', 2),
      bridge!.publish('c', 3),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(BridgePublishError);
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/PUBLISH/);
    }
    expect(bridge!.stats()).toMatchObject({ published: 0, publishFailed: 3 });
    expect(bridge!.nextSeq).toBe(3);
    // Refused by the ACL before it ran: commandstats counts it as a rejected call, not a call.
    expect(await publishCalls(admin)).toBe(before);
  });

  it('counts a malformed batch once as malformed, delivers none of it, and takes a batch under its own id as echoes', async () => {
    const namespace = uniqueNamespace('coalesce');
    const [bridge] = await fixture.connected(1, { namespace, maxPayloadBytes: 4_096 });
    const delivered: unknown[] = [];
    bridge!.onAny((type, data) => void delivered.push([type, data]));
    const raw = await fixture.raw();
    const batch = (overrides: Record<string, unknown>, events: unknown[]): string =>
      JSON.stringify({ v: 2, src: 'other', pid: 1, host: 'h', nonce: 'n', events, ...overrides });
    const good = { seq: 0, ts: 1, type: 'ok', data: null };
    const garbage = [
      batch({}, []),
      batch({}, [good, { seq: 1, ts: 1, type: 'ok' }]),
      batch({}, [good, 'not an event']),
      batch({ src: '' }, [good]),
      batch({ events: undefined }, []),
      '{"v":2,"src":"other","events":[',
      batch({}, [{ ...good, data: 'x'.repeat(5_000) }]),
    ];
    for (const message of garbage) await raw.publish(bridge!.channel, message);
    await raw.publish(bridge!.channel, batch({}, [good, { ...good, seq: 1, type: 'ok2' }]));
    await raw.publish(bridge!.channel, batch({ src: bridge!.instanceId }, [good, { ...good, seq: 1 }]));
    await waitFor(() => bridge!.stats().received === garbage.length + 4, 'every message');
    const stats = bridge!.stats();
    expect(stats.malformedByKind).toEqual({ json: 1, shape: 5, version: 0, oversized: 1 });
    expect(stats).toMatchObject({
      malformed: garbage.length,
      deliveredToHandlers: 2,
      selfEchoesFiltered: 2,
      identityCollisions: 2,
    });
    expect(stats.received).toBe(stats.selfEchoesFiltered + stats.malformed + stats.deliveredToHandlers);
    expect(delivered).toEqual([
      ['ok', null],
      ['ok2', null],
    ]);
  });
});
