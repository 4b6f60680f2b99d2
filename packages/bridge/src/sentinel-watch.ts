// Behind Sentinel: one subscription per sentinel to +switch-master, so a failover is followed the moment it is
// announced, and only by the connections that are not on the new master already.
import { Redis, type RedisOptions } from 'ioredis';
import type { BridgeLogger } from './logger.js';
import { sanitizeError } from './redact.js';

/** The sentinels' channel that announces a new master: "<name> <old ip> <old port> <new ip> <new port>". */
export const SWITCH_MASTER_CHANNEL = '+switch-master';

/** The new master's `host:port` when `message` announces a switch of master `name`; undefined otherwise. */
export function switchedTo(message: string, name: string): string | undefined {
  const [master, , , host, port] = message.split(' ');
  if (master !== name || host === undefined || port === undefined) return undefined;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Subscribes to +switch-master on every sentinel of `options` (ioredis sentinel options: sentinels, name,
 * sentinelPassword...) and calls `onSwitch` with the new master's `host:port`. It replaces ioredis's
 * `failoverDetector`, which drops the connection on every +switch-master: each sentinel announces a switch once it
 * learns of it, so a connection already on the new master would be dropped again (a second outage, more loss).
 */
export class SentinelWatch {
  readonly #clients: Redis[] = [];

  constructor(
    options: RedisOptions,
    onSwitch: (server: string) => void,
    logger: BridgeLogger,
    secrets: readonly string[],
  ) {
    const name = options.name ?? 'mymaster';
    let errors = 0;
    for (const sentinel of options.sentinels ?? []) {
      const client = new Redis({
        host: sentinel.host ?? 'localhost',
        port: sentinel.port ?? 26379,
        ...(options.sentinelUsername ? { username: options.sentinelUsername } : {}),
        ...(options.sentinelPassword ? { password: options.sentinelPassword } : {}),
        ...(options.sentinelTLS === undefined ? {} : { tls: options.sentinelTLS }),
        ...(options.family === undefined ? {} : { family: options.family }),
        connectionName: 'evbridge:sentinel-watch',
        lazyConnect: true,
        // Resubscribes after a sentinel restart; a sentinel that is down is retried every 2 s at most.
        autoResubscribe: true,
        enableReadyCheck: false,
        maxRetriesPerRequest: null,
        retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      });
      client.on('error', (error: unknown) => {
        // A sentinel down is not the bridge's outage (the others still announce): logged now and then only.
        if (errors++ % 100 === 0) {
          logger.warn(
            { sentinel: `${sentinel.host}:${sentinel.port}`, err: sanitizeError(error, secrets) },
            'EventBridge cannot reach a sentinel to watch for failovers; the other sentinels still announce them',
          );
        }
      });
      client.on('message', (channel: string, message: string) => {
        if (channel !== SWITCH_MASTER_CHANNEL) return;
        const server = switchedTo(message, name);
        if (server !== undefined) onSwitch(server);
      });
      // Queued until the sentinel answers (lazyConnect: the command connects; no retry limit): a sentinel down at
      // first is subscribed to once it is up.
      client.subscribe(SWITCH_MASTER_CHANNEL).catch(() => undefined);
      this.#clients.push(client);
    }
  }

  /** Ends every sentinel connection. */
  stop(): void {
    for (const client of this.#clients) client.disconnect();
    this.#clients.length = 0;
  }
}
