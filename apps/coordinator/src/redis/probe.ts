// One-shot questions to a Redis server of the harness's own: a readiness probe (AUTH + PING, and its version), or one
// command on a connection made for it. No retries of their own.

import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';

export interface ProbeTarget {
  host: string;
  port: number;
  password: string;
  /** Connect with TLS (a private server started with TLS). */
  tls?: ConnectionOptions;
}

/** A connection for one question: connects only when told, never retries, gives up within `timeoutMs`. */
function oneShotClient({ host, port, password, tls }: ProbeTarget, timeoutMs: number): Redis {
  return new Redis({
    host,
    port,
    password,
    ...(tls === undefined ? {} : { tls }),
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
}

/** Connects once, checks PING answers PONG, returns `redis_version`. Rejects on any failure. */
export async function probeRedis(target: ProbeTarget, timeoutMs = 1_000): Promise<string> {
  const client = oneShotClient(target, timeoutMs);
  // connect() rejects with "Connection is closed." when Redis refuses the handshake (ioredis 6's HELLO 3 carries the
  // AUTH); the 'error' event carries Redis's own reply, which the caller's "did not answer" message should quote.
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  try {
    await client.connect().catch((error: unknown) => {
      throw lastError ?? error;
    });
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${JSON.stringify(pong)}, expected PONG`);
    const info = await client.info('server');
    return /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
  } finally {
    client.disconnect();
  }
}

/** One command (`args`: its name, then its arguments) on a connection made for it and dropped after; rejects on any failure. */
export async function askServer(target: ProbeTarget, args: readonly string[], timeoutMs = 1_000): Promise<unknown> {
  const client = oneShotClient(target, timeoutMs);
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [command = '', ...rest] = args;
    return await client.call(command, ...rest);
  } finally {
    client.disconnect();
  }
}
