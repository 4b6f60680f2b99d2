// A subscriber Redis closes for its output buffer (client-output-buffer-limit pubsub): detected, reported, resubscribed.

import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionNameFor } from '../src/redis-clients.js';
import { BridgeProcess } from './bridge-process.js';
import { clientIdsNamed, eventually, Fixture, numsub, uniqueNamespace, waitFor } from './helpers.js';
import { isAlive, PausableRedis } from './private-redis.js';

const fixture = new Fixture();
const HEALTH_INTERVAL_MS = 50;
let redis: PausableRedis | undefined;
let child: BridgeProcess | undefined;

afterEach(async () => {
  const pids = [child?.pid, redis?.pid].filter((pid): pid is number => pid !== undefined);
  await child?.end();
  child = undefined;
  await fixture.close();
  await redis?.stop();
  redis = undefined;
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

describe('output-buffer disconnects', () => {
  it('a stalled subscriber closed by Redis is reported as output-buffer, resubscribed, and receives again', async () => {
    redis = await PausableRedis.start();
    const raw = await fixture.raw(redis.url);
    await raw.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 64kb 32kb 1');
    const namespace = uniqueNamespace('slow');
    child = await BridgeProcess.start({
      redis: redis.url,
      namespace,
      healthCheckIntervalMs: HEALTH_INTERVAL_MS,
      healthCheckTimeoutMs: 1_000,
    });
    const [publisher] = await fixture.connected(1, { redis: redis.url, namespace });
    for (let i = 0; i < 20; i++) await publisher!.publish('warm', i);
    await eventually(async () => (await child!.stats()).stats.received >= 20, 'the child receiving');

    const subscriberName = connectionNameFor('subscriber', child.instanceId);
    child.freeze();
    const frozenAt = performance.now();
    const payload = 'x'.repeat(4096);
    let sentBytes = 0;
    // Publish until Redis closes the stalled subscriber (kernel buffers full, then 64 kB of output buffer).
    while ((await clientIdsNamed(raw, subscriberName)).length === 1) {
      await Promise.all(Array.from({ length: 32 }, () => publisher!.publish('flood', payload)));
      sentBytes += 32 * payload.length;
      expect(sentBytes, 'Redis never closed the stalled subscriber').toBeLessThan(256 * 1024 * 1024);
    }
    // The scenario: a consumer stalled for at least three health-check intervals (a GC pause, a SIGSTOP), which then
    // reads the backlog its socket still holds and finds the connection closed behind it.
    await delay(Math.max(0, 3 * HEALTH_INTERVAL_MS - (performance.now() - frozenAt)));
    const stalledMs = Math.round(performance.now() - frozenAt);
    child.thaw();
    await waitFor(
      () => child!.states().some((s) => s.state === 'ready' && s.previous === 'reconnecting'),
      'the child ready again',
      10_000,
    );
    const [down, up] = child.states().slice(-2);
    expect(down).toMatchObject({
      state: 'reconnecting',
      change: { cause: 'output-buffer', connections: ['subscriber'] },
    });
    expect(up).toMatchObject({ state: 'ready', change: { cause: 'output-buffer', connections: ['subscriber'] } });
    const { stats } = await child.stats();
    expect(stats).toMatchObject({ outputBufferDisconnects: 1, outages: 1, recoveries: 1, healthCheckFailures: 0 });
    const warning = child.messages.find((m) => m.type === 'log' && /client-output-buffer-limit/.test(m.msg));
    // Told apart from a CLIENT KILL by the stall it followed (recovery.test.ts: a healthy subscriber killed is connection-lost).
    expect(warning).toMatchObject({ level: 'warn', obj: { stalledRecently: true } });
    expect(await numsub(raw, publisher!.channel)).toBe(2);
    expect(await clientIdsNamed(raw, subscriberName)).toHaveLength(1);
    await publisher!.publish('after', null);
    await eventually(
      async () => (await child!.stats()).stats.deliveredToHandlers === stats.deliveredToHandlers + 1,
      'delivery after recovery',
    );
    const lagMs = warning?.type === 'log' ? warning.obj.lagMs : undefined;
    console.info(
      `output-buffer: stalled ${stalledMs} ms, ${Math.round(sentBytes / 1024)} kB sent before Redis closed the subscriber; ` +
        `lag at close ${String(lagMs)} ms; outage ${up?.change.outageMs} ms`,
    );
  });
});
