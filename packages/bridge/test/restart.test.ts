// A Redis restart (killed, down a while, started again on the same port): every bridge resubscribes by itself.

import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeNotReadyError } from '../src/errors.js';
import type { RecoveryInfo, StateChange } from '../src/outage.js';
import { connectionNameFor } from '../src/redis-clients.js';
import type { BridgeState } from '../src/state.js';
import { clientIdsNamed, Fixture, numsub, uniqueNamespace, waitFor } from './helpers.js';
import { isAlive } from './private-redis.js';
import { RestartableRedis } from './restartable-redis.js';

const fixture = new Fixture();
let redis: RestartableRedis | undefined;

afterEach(async () => {
  await fixture.close();
  const pid = redis?.pid;
  await redis?.down();
  redis = undefined;
  if (pid !== undefined) expect(isAlive(pid)).toBe(false);
});

const DOWN_MS = 500;

describe('Redis restart', () => {
  it('every bridge goes reconnecting, fails publishes fast while Redis is down, and is subscribed again after it returns', async () => {
    redis = await RestartableRedis.start();
    const namespace = uniqueNamespace('restart');
    const bridges = await fixture.connected(3, { redis: redis.url, namespace });
    const changes = bridges.map((bridge) => {
      const log: [BridgeState, StateChange][] = [];
      bridge.lifecycle.on('state', (state, _previous, change) => log.push([state, change]));
      return log;
    });
    const recovered: RecoveryInfo[] = [];
    for (const bridge of bridges) bridge.lifecycle.on('recovered', (info) => recovered.push(info));

    await redis.down();
    await waitFor(() => bridges.every((b) => b.state === 'reconnecting'), 'every bridge reconnecting');
    await expect(bridges[0]!.publish('x', 1)).rejects.toBeInstanceOf(BridgeNotReadyError);
    // The scenario: Redis stays down a while (the outage to measure), then comes back on the same port.
    await delay(DOWN_MS);
    const upAt = performance.now();
    await redis.up();
    await waitFor(() => bridges.every((b) => b.state === 'ready'), 'every bridge ready again', 10_000);
    const readyAfterMs = Math.round(performance.now() - upAt);

    for (const log of changes) {
      expect(log.map(([state]) => state)).toEqual(['reconnecting', 'ready']);
      expect(log[0]![1].cause).toBe('connection-lost');
    }
    expect(recovered).toHaveLength(3);
    for (const info of recovered) {
      expect(info.cause).toBe('connection-lost');
      expect([...info.connections].sort()).toEqual(['publisher', 'subscriber']);
      expect(info.outageMs).toBeGreaterThanOrEqual(DOWN_MS);
    }
    const raw = await fixture.raw(redis.url);
    expect(await numsub(raw, bridges[0]!.channel)).toBe(3);
    for (const bridge of bridges)
      expect(await clientIdsNamed(raw, connectionNameFor('subscriber', bridge.instanceId))).toHaveLength(1);
    const got: string[] = [];
    bridges[2]!.on('after', (data) => void got.push(data as string));
    expect(await bridges[0]!.publish('after', 'restart')).toBe(3);
    await waitFor(() => got.length === 1, 'delivery after the restart');
    console.info(
      `restart: down ${DOWN_MS} ms; every bridge ready ${readyAfterMs} ms after Redis answered; outages ${recovered.map((r) => r.outageMs).join('/')} ms`,
    );
  });
});
