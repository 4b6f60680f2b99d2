// publishPipelining: corking per tick on a fake connection, and every mode against a real Redis.

import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBridgeOptions } from '../src/options.js';
import { PUBLISH_PIPELINING_MODES, TickWrites } from '../src/publish-pipeline.js';
import { Fixture, redisUrl, uniqueNamespace, waitFor } from './helpers.js';

/** A fake publishing connection: records the order of cork, PUBLISH and uncork on its socket. */
function fakePublisher(status = 'ready') {
  const events: string[] = [];
  const publisher = {
    status,
    stream: { cork: () => events.push('cork'), uncork: () => events.push('uncork') },
    publish: (_channel: string, payload: string) => {
      events.push(payload);
      return Promise.resolve(2);
    },
  };
  return { publisher: publisher as unknown as Redis, events };
}

describe('TickWrites', () => {
  it('corks the socket for the PUBLISHes of one synchronous run and uncorks right after it: one write', async () => {
    const fake = fakePublisher();
    const tick = new TickWrites();
    const replies = ['a', 'b', 'c'].map((payload) => tick.publish(fake.publisher, 'ch', payload));
    expect(fake.events).toEqual(['cork', 'a', 'b', 'c']);
    expect(await Promise.all(replies)).toEqual([2, 2, 2]);
    expect(fake.events).toEqual(['cork', 'a', 'b', 'c', 'uncork']);
  });

  it('corks each later run on its own', async () => {
    const fake = fakePublisher();
    const tick = new TickWrites();
    await tick.publish(fake.publisher, 'ch', 'a');
    await Promise.all([tick.publish(fake.publisher, 'ch', 'b'), tick.publish(fake.publisher, 'ch', 'c')]);
    expect(fake.events).toEqual(['cork', 'a', 'uncork', 'cork', 'b', 'c', 'uncork']);
  });

  it('leaves a connection that is not ready alone (ioredis queues or rejects the command itself)', async () => {
    const fake = fakePublisher('connecting');
    await new TickWrites().publish(fake.publisher, 'ch', 'a');
    expect(fake.events).toEqual(['a']);
  });
});

describe('options.publishPipelining', () => {
  it('defaults to tick and rejects anything but the modes', () => {
    expect(resolveBridgeOptions({ redis: 'redis://localhost' }).publishPipelining).toBe('tick');
    expect(() => resolveBridgeOptions({ redis: 'redis://localhost', publishPipelining: 'always' as 'tick' })).toThrow(
      /options\.publishPipelining must be one of 'tick', 'none', 'auto'/,
    );
  });
});

describe('every publishPipelining mode against a real Redis', () => {
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it.each(PUBLISH_PIPELINING_MODES)('%s: a burst of publishes in one run arrives complete and in order, each acknowledged', async (mode) => {
    const namespace = uniqueNamespace(`pipe-${mode}`);
    const [sender, receiver] = await fixture.connected<{ n: number }>(2, { namespace, publishPipelining: mode, redis: redisUrl() });
    const got: number[] = [];
    receiver!.on('n', (n) => {
      got.push(n);
    });
    const replies = await Promise.all(Array.from({ length: 500 }, (_, n) => sender!.publish('n', n)));
    expect(replies.every((receivers) => receivers === 2)).toBe(true);
    await waitFor(() => got.length === 500, '500 events at the receiver');
    expect(got).toEqual(Array.from({ length: 500 }, (_, n) => n));
    expect(sender!.stats()).toMatchObject({ published: 500, publishFailed: 0 });
    expect(sender!.nextSeq).toBe(500);
  });
});
