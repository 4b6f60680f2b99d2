// What must never reach handlers or crash the process: garbage on the channel, throwing handlers, id collisions.

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CollisionInfo } from '../src/bridge.js';
import { Fixture, uniqueNamespace, waitFor } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.close());

function envelope(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    id: 'other:1:n/0',
    src: 'other:1:n',
    pid: 1,
    host: 'other',
    nonce: 'n',
    seq: 0,
    ts: 1,
    type: 'x',
    data: null,
    ...overrides,
  });
}

describe('malformed messages', () => {
  it('are counted by kind, dropped, and never reach handlers', async () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const [bridge] = await fixture.connected(1, {
      namespace: uniqueNamespace('garbage'),
      maxPayloadBytes: 4096,
      logger,
    });
    const seen: unknown[] = [];
    bridge!.onAny((type, data) => void seen.push([type, data]));
    const raw = await fixture.raw();
    const garbage = [
      'not json',
      '{"v":1,',
      '',
      '[1,2,3]',
      '"just a string"',
      'null',
      envelope({ seq: -1 }),
      envelope({ data: undefined }),
      envelope({ type: 42 }),
      envelope({ v: 3 }),
      envelope({ v: 99, shape: 'unknown' }),
      envelope({ data: 'x'.repeat(5000) }),
    ];
    for (const message of garbage) expect(await raw.publish(bridge!.channel, message)).toBe(1);
    await raw.publish(bridge!.channel, envelope({ type: 'valid' }));
    await waitFor(() => bridge!.stats().received === garbage.length + 1, 'every message');
    const stats = bridge!.stats();
    expect(stats.malformedByKind).toEqual({ json: 3, shape: 6, version: 2, oversized: 1 });
    expect(stats.malformed).toBe(garbage.length);
    expect(stats.deliveredToHandlers).toBe(1);
    expect(stats.received).toBe(stats.selfEchoesFiltered + stats.malformed + stats.deliveredToHandlers);
    expect(seen).toEqual([['valid', null]]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'json' }),
      expect.stringContaining('malformed'),
    );
  });

  it('publishing above maxPayloadBytes rejects with a TypeError and sends nothing', async () => {
    const [a, b] = await fixture.connected(2, { namespace: uniqueNamespace('big'), maxPayloadBytes: 1024 });
    const error = await a!.publish('big', 'x'.repeat(2000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/above options.maxPayloadBytes \(1024\)/);
    await expect(a!.publish('undef', undefined)).rejects.toThrow(/send null instead/);
    expect(a!.stats()).toMatchObject({ published: 0, publishFailed: 2 });
    // The sequence stays contiguous: the next event sent carries seq 0.
    expect(a!.nextSeq).toBe(0);
    await a!.publish('small', 'ok');
    await waitFor(() => b!.stats().deliveredToHandlers === 1, 'the small event');
    expect(b!.stats().received).toBe(1);
  });
});

describe('hostile input at a live bridge', () => {
  it('arbitrary bytes and JSON from a raw client: each message lands in one bucket, handlers see only valid events', async () => {
    const [bridge] = await fixture.connected(1, { namespace: uniqueNamespace('fuzz'), maxPayloadBytes: 512 });
    const seen: unknown[] = [];
    bridge!.onAny((type) => void seen.push(type));
    const raw = await fixture.raw();
    const messages: Buffer[] = [
      ...fc.sample(fc.uint8Array({ maxLength: 700 }), { numRuns: 200, seed: 42 }).map((bytes) => Buffer.from(bytes)),
      ...fc.sample(fc.json(), { numRuns: 200, seed: 43 }).map((json) => Buffer.from(json)),
      // Our own instance id under another nonce: the collision path, dropped as a self echo and counted.
      Buffer.from(envelope({ src: bridge!.instanceId, nonce: 'impostor', type: 'claimed' })),
    ];
    for (const message of messages) await raw.publish(bridge!.channel, message);
    await waitFor(() => bridge!.stats().received === messages.length, 'every message');
    const stats = bridge!.stats();
    expect(stats.received).toBe(stats.selfEchoesFiltered + stats.malformed + stats.deliveredToHandlers);
    expect(stats.malformed).toBe(Object.values(stats.malformedByKind).reduce((a, b) => a + b, 0));
    expect(stats.malformedByKind.json).toBeGreaterThan(0);
    expect(stats.malformedByKind.shape).toBeGreaterThan(0);
    expect(stats.malformedByKind.oversized).toBeGreaterThan(0);
    expect(stats.identityCollisions).toBe(1);
    expect(seen).toHaveLength(stats.deliveredToHandlers);
    expect(seen).not.toContain('claimed');
    expect(bridge!.state).toBe('ready');
  });
});

describe('handler isolation', () => {
  it('a throwing or rejecting handler is counted and logged; other handlers still run', async () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const namespace = uniqueNamespace('throwing');
    const [a] = await fixture.connected(1, { namespace });
    const [b] = await fixture.connected(1, { namespace, logger });
    const calls: string[] = [];
    b!.on('e', () => {
      calls.push('first');
      throw new Error('boom');
    });
    b!.on('e', async () => {
      calls.push('async');
      throw new Error('async boom');
    });
    b!.on('e', () => void calls.push('third'));
    b!.onAny(() => void calls.push('any'));
    await a!.publish('e', 1);
    await a!.publish('e', 2);
    await waitFor(() => b!.stats().handlerErrors === 4, 'four handler errors');
    expect(calls).toEqual(['first', 'async', 'third', 'any', 'first', 'async', 'third', 'any']);
    expect(b!.stats().deliveredToHandlers).toBe(2);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'e', eventId: `${a!.instanceId}/0` }),
      expect.stringContaining('handler threw'),
    );
    expect(b!.state).toBe('ready');
  });
});

describe('identity collisions', () => {
  it('two bridges claiming one instance id: counted, reported once, never counted as selfReceived', async () => {
    const namespace = uniqueNamespace('collide');
    const dropped: Array<{ data: unknown; nonce: string }> = [];
    const [a, b] = await fixture.connected(2, {
      namespace,
      instanceId: 'same-id',
      onSelfEcho: (_type, data, meta) => void dropped.push({ data, nonce: meta.nonce }),
    });
    const collisions: CollisionInfo[] = [];
    a!.lifecycle.on('collision', (info) => collisions.push(info));
    await b!.publish('x', 1);
    await b!.publish('x', 2);
    await waitFor(() => a!.stats().identityCollisions === 2, 'two collisions');
    expect(collisions).toEqual([
      {
        instanceId: 'same-id',
        ownNonce: a!.identity.nonce,
        otherNonce: b!.identity.nonce,
        otherPid: process.pid,
        otherHost: b!.host,
      },
    ]);
    expect(a!.stats()).toMatchObject({ selfEchoesFiltered: 2, deliveredToHandlers: 0, selfReceived: 0 });
    // The self-filter hook sees the impostor's events too, told apart by their nonce (b's own echoes are b's).
    await waitFor(() => dropped.length === 4, 'both bridges dropped both events');
    expect(dropped.map((d) => d.nonce)).toEqual([
      b!.identity.nonce,
      b!.identity.nonce,
      b!.identity.nonce,
      b!.identity.nonce,
    ]);
    expect(dropped.map((d) => d.data).sort()).toEqual([1, 1, 2, 2]);
  });
});
