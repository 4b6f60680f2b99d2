// Which Redis a run uses: the one the user named, or a private redis-server started for this run only.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisInfo } from '../report/types.js';
import { RedisServerNotFoundError, startPrivateRedis } from '../redis/private-server.js';
import { redactRedisUrl, redactSecrets } from '@evbridge/bridge';

export interface RedisTarget {
  /** Full URL with credentials: only ever sent to workers over IPC. */
  url: string;
  info: RedisInfo;
  /** Secrets to scrub from anything printed. */
  secrets: string[];
  /** Stops the private server (no-op for a user's Redis). */
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/** Asks a Redis for its version; rejects with a one-line error naming the fix. */
export async function redisVersion(url: string, timeoutMs = 5000): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // ioredis rejects connect() with "Connection is closed."; the 'error' event carries the real cause.
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  try {
    await client.connect();
    const info = await client.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } catch (error) {
    const cause = lastError ?? error;
    const reason = redactSecrets(cause instanceof Error ? cause.message : String(cause), [safePassword(url) ?? '']);
    throw new RedisUnavailableError(
      `cannot use Redis at ${redactRedisUrl(url)}: ${reason}; check --redis/REDIS_URL (host, port, password)`,
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}

export async function provideRedis(url: string | undefined, logger: Logger): Promise<RedisTarget> {
  if (url !== undefined) {
    const version = await redisVersion(url);
    const password = safePassword(url);
    return {
      url,
      info: { version, url: redactRedisUrl(url), private: false },
      secrets: password ? [password] : [],
      stop: async () => undefined,
    };
  }
  let server;
  try {
    server = await startPrivateRedis({ logger });
  } catch (error) {
    if (error instanceof RedisServerNotFoundError) {
      throw new RedisUnavailableError(
        'no Redis to run against: redis-server is not on PATH; install it (apt-get install redis-server, brew install redis) or point at a Redis with --redis URL or REDIS_URL',
        { cause: error },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisUnavailableError(
      `could not start a private redis-server (${reason}); or point at a Redis with --redis URL or REDIS_URL`,
      { cause: error },
    );
  }
  return {
    url: server.url,
    info: { version: server.version, url: redactRedisUrl(server.url), private: true },
    secrets: [server.password],
    stop: () => server.stop(),
  };
}

function safePassword(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}
