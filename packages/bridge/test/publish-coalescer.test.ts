// coalesce: 'tick' on a fake transport: one PUBLISH per turn, split at the bounds, one reply or error for every event.

import { describe, expect, it } from 'vitest';
import type { ChannelTransport } from '../src/channel-transport.js';
import { createCounters } from '../src/counters.js';
import { decodeMessage } from '../src/envelope-batch.js';
import { BridgePublishError } from '../src/errors.js';
import { createIdentity } from '../src/identity.js';
import { resolveBridgeOptions, type BridgeOptions } from '../src/options.js';
import { PublishPath } from '../src/publish-path.js';

/** A transport that records each payload it is asked to publish and answers `reply()`. */
function fakeTransport(reply: () => Promise<number> = () => Promise.resolve(3)) {
  const sent: string[] = [];
  const transport: ChannelTransport = {
    commands: { publish: 'PUBLISH', subscribe: 'SUBSCRIBE' },
    publish: (payload) => {
      sent.push(payload);
      return reply();
    },
    subscribe: () => Promise.resolve(),
    resubscribe: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { transport, sent };
}

function coalescingPath(options: Partial<BridgeOptions> = {}) {
  const counters = createCounters();
  const identity = createIdentity({ instanceId: 'me', host: 'h' });
  const path = new PublishPath(
    resolveBridgeOptions({ redis: 'redis://127.0.0.1:1', coalesce: 'tick', ...options }),
    identity,
    counters,
    [],
  );
  return { path, counters };
}

/** The seqs each sent payload carries, batch by batch. */
function seqsOf(sent: readonly string[]): number[][] {
  return sent.map((payload) => {
    const result = decodeMessage(payload, 1024 * 1024);
    if (!result.ok || result.batch === undefined) throw new Error(`not a batch: ${payload}`);
    return result.batch.events.map((event) => event.seq);
  });
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("PublishPath with coalesce: 'tick'", () => {
  it('sends the publishes of one turn as one batch once the turn ends, each resolving with its reply', async () => {
    const { path, counters } = coalescingPath();
    const { transport, sent } = fakeTransport();
    const replies = Array.from({ length: 5 }, (_, i) => path.publish(transport, 't', { i }));
    expect(sent).toEqual([]);
    expect(path.nextSeq).toBe(5);
    expect(path.pending).toBe(5);
    expect(await Promise.all(replies)).toEqual([3, 3, 3, 3, 3]);
    expect(seqsOf(sent)).toEqual([[0, 1, 2, 3, 4]]);
    expect(counters).toMatchObject({ published: 5, publishFailed: 0 });
    expect(path.pending).toBe(0);
  });

  it('starts a new batch in the next turn', async () => {
    const { path } = coalescingPath();
    const { transport, sent } = fakeTransport();
    const first = [path.publish(transport, 't', 1), path.publish(transport, 't', 2)];
    await nextTurn();
    await Promise.all([...first, path.publish(transport, 't', 3)]);
    expect(seqsOf(sent)).toEqual([[0, 1], [2]]);
  });

  it('splits a turn at coalesceMaxEvents, in order', async () => {
    const { path } = coalescingPath({ coalesceMaxEvents: 4 });
    const { transport, sent } = fakeTransport();
    await Promise.all(Array.from({ length: 10 }, (_, i) => path.publish(transport, 't', i)));
    expect(seqsOf(sent)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('splits a turn before a batch would exceed maxPayloadBytes, counting UTF-8 bytes', async () => {
    const maxPayloadBytes = 1_000;
    const { path } = coalescingPath({ maxPayloadBytes });
    const { transport, sent } = fakeTransport();
    // 100 three-byte characters: 300 bytes of data in 100 UTF-16 units.
    await Promise.all(Array.from({ length: 12 }, () => path.publish(transport, 't', '€'.repeat(100))));
    const batches = seqsOf(sent);
    expect(batches.flat()).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(batches.length).toBeGreaterThan(3);
    for (const payload of sent) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(maxPayloadBytes);
    // Each batch is full: the next event would not have fitted.
    for (const payload of sent.slice(0, -1)) expect(Buffer.byteLength(payload) + 330).toBeGreaterThan(maxPayloadBytes);
  });

  it('rejects an event that would not fit even alone, before it takes a seq, and keeps the rest of the turn', async () => {
    const { path, counters } = coalescingPath({ maxPayloadBytes: 500 });
    const { transport, sent } = fakeTransport();
    const small = path.publish(transport, 't', 'a');
    await expect(path.publish(transport, 't', 'x'.repeat(600))).rejects.toThrow(
      /above options.maxPayloadBytes \(500\)/,
    );
    await expect(path.publish(transport, 't', () => 1)).rejects.toThrow(/function or symbol/);
    expect(await small).toBe(3);
    expect(seqsOf(sent)).toEqual([[0]]);
    expect(counters).toMatchObject({ published: 1, publishFailed: 2 });
  });

  it('rejects every publish of a batch whose PUBLISH fails, counting each', async () => {
    const { path, counters } = coalescingPath();
    const { transport, sent } = fakeTransport(() => Promise.reject(new Error('READONLY You can not write')));
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => path.publish(transport, 't', i)));
    expect(sent).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(BridgePublishError);
    }
    expect(counters).toMatchObject({ published: 0, publishFailed: 4 });
    expect(path.pending).toBe(0);
  });

  it('a transport that throws instead of rejecting fails the batch the same way', async () => {
    const { path, counters } = coalescingPath();
    const { transport } = fakeTransport(() => {
      throw new Error('Connection is closed.');
    });
    const results = await Promise.allSettled([path.publish(transport, 't', 1), path.publish(transport, 't', 2)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(counters.publishFailed).toBe(2);
  });
});
