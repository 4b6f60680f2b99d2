// The private redis-server's restart (--fault restart-redis): down, then up again on the same port with the same
// password as a new process; stop() afterwards leaves no process; no restart after stop().
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../src/redis/private-server.js';
import { isAlive } from './support/harness-cli.js';

let redis: PrivateRedis | undefined;
afterEach(async () => {
  await redis?.stop();
  redis = undefined;
});

/** PING with the server's URL on a fresh connection that never retries: the reply, or the error's message. */
async function ping(url: string): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  let lastError = '';
  client.on('error', (error: Error) => (lastError = error.message));
  try {
    await client.connect();
    return await client.ping();
  } catch (error) {
    return lastError || (error instanceof Error ? error.message : String(error));
  } finally {
    client.disconnect();
  }
}

describe('private redis-server halt() and restart()', () => {
  it('comes back on the same port with the same password, as a new process', async () => {
    redis = await startPrivateRedis();
    const { url, port, password } = redis;
    const firstPid = redis.pid;
    expect(await ping(url)).toBe('PONG');
    await redis.halt();
    expect(isAlive(firstPid)).toBe(false);
    expect(await ping(url)).toMatch(/ECONNREFUSED/);
    await redis.restart();
    expect(redis.pid).not.toBe(firstPid);
    expect(isAlive(redis.pid)).toBe(true);
    expect([redis.url, redis.port, redis.password]).toEqual([url, port, password]);
    expect(await ping(url)).toBe('PONG');
    const secondPid = redis.pid;
    await redis.stop();
    expect(isAlive(secondPid)).toBe(false);
    await expect(redis.restart()).rejects.toThrow(/stopped for good/);
  });

  it('refuses a restart while the server still runs, and halt() twice is harmless', async () => {
    redis = await startPrivateRedis();
    await expect(redis.restart()).rejects.toThrow(/still runs: halt\(\) it first/);
    await redis.halt();
    await redis.halt();
    await redis.restart();
    expect(await ping(redis.url)).toBe('PONG');
  });
});
