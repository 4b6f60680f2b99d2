// The private redis-server helper: starts, authenticates, hides its password, stops cleanly; URL redaction.

import { readFile } from 'node:fs/promises';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../src/redis/private-server.js';
import { isAlive } from './support/harness-cli.js';

async function withClient<T>(options: RedisOptions, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, ...options });
  // ioredis 6 authenticates in its HELLO 3: a refusal fails connect() ("Connection is closed."), and the 'error'
  // event carries Redis's reply (NOAUTH without the password).
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  try {
    await client.connect().catch((error: unknown) => {
      throw lastError ?? error;
    });
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

describe('startPrivateRedis', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('listens on loopback with a random password and reports its version', () => {
    expect(redis.url).toBe(`redis://:${redis.password}@127.0.0.1:${redis.port}`);
    expect(redis.password).toMatch(/^[0-9a-f]{48}$/);
    expect(redis.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(isAlive(redis.pid)).toBe(true);
  });

  it('answers PING with the password', async () => {
    const pong = await withClient({ host: '127.0.0.1', port: redis.port, password: redis.password }, (c) => c.ping());
    expect(pong).toBe('PONG');
    const viaUrl = new Redis(redis.url, { lazyConnect: true });
    try {
      await viaUrl.connect();
      expect(await viaUrl.ping()).toBe('PONG');
    } finally {
      viaUrl.disconnect();
    }
  });

  it('rejects commands without the password', async () => {
    await expect(
      withClient({ host: '127.0.0.1', port: redis.port, enableReadyCheck: false }, (c) => c.ping()),
    ).rejects.toThrow(/NOAUTH/);
  });

  it('listens on loopback only: CONFIG GET bind is 127.0.0.1, the only listening socket is 127.0.0.1, no-auth PING refused', async () => {
    const config = await withClient({ host: '127.0.0.1', port: redis.port, password: redis.password }, async (c) => ({
      bind: await c.config('GET', 'bind'),
      protectedMode: await c.config('GET', 'protected-mode'),
      requirepass: await c.config('GET', 'requirepass'),
    }));
    expect(config.bind).toEqual(['bind', '127.0.0.1']);
    expect(config.protectedMode).toEqual(['protected-mode', 'yes']);
    expect(config.requirepass).toEqual(['requirepass', redis.password]);
    // The kernel's own table: every listening socket on this port, IPv4 and IPv6 (state 0A = LISTEN).
    const portHex = redis.port.toString(16).toUpperCase().padStart(4, '0');
    const listening: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const rows = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
      for (const row of rows) {
        const [, local, , state] = row.trim().split(/\s+/);
        if (local?.endsWith(`:${portHex}`) && state === '0A') listening.push(local);
      }
    }
    expect(listening).toEqual([`0100007F:${portHex}`]);
    await expect(
      withClient({ host: '127.0.0.1', port: redis.port, enableReadyCheck: false }, (c) => c.ping()),
    ).rejects.toThrow(/NOAUTH/);
  });

  it('does not put the password in the process arguments', async () => {
    const cmdline = await readFile(`/proc/${redis.pid}/cmdline`, 'utf8');
    expect(cmdline.length).toBeGreaterThan(0);
    expect(cmdline).toContain('redis-server');
    expect(cmdline).not.toContain(redis.password);
  });

  it('two servers get different ports and passwords', async () => {
    const other = await startPrivateRedis();
    try {
      expect(other.port).not.toBe(redis.port);
      expect(other.password).not.toBe(redis.password);
    } finally {
      await other.stop();
    }
  });

  it('stop() leaves no process and is idempotent', async () => {
    const server = await startPrivateRedis();
    expect(isAlive(server.pid)).toBe(true);
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    await expect(readFile(`/proc/${server.pid}/cmdline`)).rejects.toThrow();
    await expect(
      withClient({ host: '127.0.0.1', port: server.port, password: server.password }, (c) => c.ping()),
    ).rejects.toThrow();
  });

  it('names the fix when redis-server is missing', async () => {
    await expect(startPrivateRedis({ redisServerPath: '/nonexistent/redis-server' })).rejects.toThrow(
      /install redis-server.*--redis <url> \/ REDIS_URL/,
    );
  });

  it('fails with the server output when redis-server exits early', async () => {
    // `false` exits 1 at once: the helper must report it, not wait out the ready timeout.
    const started = Date.now();
    await expect(startPrivateRedis({ redisServerPath: '/bin/false' })).rejects.toThrow(
      /exited with code 1 before it was ready/,
    );
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
