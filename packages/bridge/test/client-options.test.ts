// The ioredis options the bridge sets under the user's: ioredis 5's reconnect schedule unless the user gives one.

import { describe, expect, it } from 'vitest';
import { resolveBridgeOptions } from '../src/options.js';
import { createRedisClient, reconnectDelayMs } from '../src/redis-clients.js';
import { redisUrl } from './helpers.js';

describe('bridge connection options', () => {
  it('reconnect 50 ms later per attempt, at most 2 s apart, without jitter', () => {
    expect([1, 2, 10, 40, 41, 1_000].map(reconnectDelayMs)).toEqual([50, 100, 500, 2_000, 2_000, 2_000]);
    const client = createRedisClient(resolveBridgeOptions({ redis: redisUrl() }));
    expect(client.options.retryStrategy).toBe(reconnectDelayMs);
    client.disconnect();
  });

  it("the user's retryStrategy wins, from redisOptions or from an options object", () => {
    const retryStrategy = (): number => 7;
    for (const options of [
      { redis: redisUrl(), redisOptions: { retryStrategy } },
      { redis: { host: '127.0.0.1', retryStrategy } },
    ]) {
      const client = createRedisClient(resolveBridgeOptions(options));
      expect(client.options.retryStrategy).toBe(retryStrategy);
      client.disconnect();
    }
  });
});
