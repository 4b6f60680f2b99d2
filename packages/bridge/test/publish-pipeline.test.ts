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
  it('writes the first PUBLISH of a run at once and corks the rest until the run ends: two writes', async () => {
    const fake = fakePublisher();
    const tick = new TickWrites();
    const replies = ['a', 'b', 'c'].map((payload) => tick.publish(fake.publisher, 'ch', payload));
    expect(fake.events).toEqual(['a', 'cork', 'b', 'c']);
    expect(await Promise.all(replies)).toEqual([2, 2, 2]);
    expect(fake.events).toEqual(['a', 'cork', 'b', 'c', 'uncork']);
  });

  it('leaves a lone publish alone (one write, no cork) and starts over with each run', async () => {
    const fake = fakePublisher();
    const tick = new TickWrites();
    await tick.publish(fake.publisher, 'ch', 'a');
    await Promise.all([tick.publish(fake.publisher, 'ch', 'b'), tick.publish(fake.publisher, 'ch', 'c')]);
    await tick.publish(fake.publisher, 'ch', 'd');
    expect(fake.events).toEqual(['a', 'b', 'cork', 'c', 'uncork', 'd']);
  });

  it('leaves a connection that is not ready alone (ioredis queues or rejects the command itself)', async () => {
    const fake = fakePublisher('connecting');
    const tick = new TickWrites();
    await Promise.all([tick.publish(fake.publisher, 'ch', 'a'), tick.publish(fake.publisher, 'ch', 'b')]);
    expect(fake.events).toEqual(['a', 'b']);
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

  it.each(PUBLISH_PIPELINING_MODES)(
    '%s: a burst of publishes in one run arrives complete and in order, each acknowledged',
    async (mode) => {
      const namespace = uniqueNamespace(`pipe-${mode}`);
      const [sender, receiver] = await fixture.connected<{ n: number }>(2, {
        namespace,
        publishPipelining: mode,
        redis: redisUrl(),
      });
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
    },
  );
});
