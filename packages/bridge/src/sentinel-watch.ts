// Behind Sentinel: one subscription per sentinel to +switch-master, so a failover is followed the moment it is
// announced, and only by the connections that are not on the new master already.
import { Redis, type RedisOptions } from 'ioredis';
import type { BridgeLogger } from './logger.js';
import { sanitizeError } from './redact.js';

/** The sentinels' channel that announces a new master: "<name> <old ip> <old port> <new ip> <new port>". */
export const SWITCH_MASTER_CHANNEL = '+switch-master';

export interface MasterAddress {
  host: string;
  port: number;
}

/** A switch of master `name` as `message` announces it (old and new address); undefined for another name. */
export function parseSwitch(message: string, name: string): { from: MasterAddress; to: MasterAddress } | undefined {
  const [master, fromHost, fromPort, toHost, toPort] = message.split(' ');
  if (master !== name || fromHost === undefined || toHost === undefined) return undefined;
  const from = { host: fromHost, port: Number(fromPort) };
  const to = { host: toHost, port: Number(toPort) };
  if (!Number.isInteger(from.port) || !Number.isInteger(to.port)) return undefined;
  return { from, to };
}

/** The new master's `host:port` when `message` announces a switch of master `name`; undefined otherwise. */
export function switchedTo(message: string, name: string): string | undefined {
  const change = parseSwitch(message, name);
  return change === undefined ? undefined : addressKey(change.to);
}

/** `host:port`, an IPv6 host in brackets (as connectedServer writes it). */
export function addressKey({ host, port }: MasterAddress): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Masters the sentinels announced as replaced, and by whom: an ioredis `natMap` that sends a connection asking a
 * sentinel that has not heard of the switch yet (it still names the old master) to the new master instead. Without it
 * such a connection lands on the old master (alive after a planned failover: a split from the peers on the new one)
 * or on a dead one (a retry, and the retry delay grows).
 */
export class MasterRoutes {
  readonly #moved = new Map<string, MasterAddress>();

  switched(from: MasterAddress, to: MasterAddress): void {
    // A switch back (to an address once replaced) makes that address the master again.
    this.#moved.delete(`${to.host}:${to.port}`);
    this.#moved.set(`${from.host}:${from.port}`, to);
  }

  /** For ioredis's natMap (keys are "ip:port" as the sentinels write them): where the master at `key` went. */
  readonly natMap = (key: string): MasterAddress | null => {
    let target: MasterAddress | undefined;
    let next = this.#moved.get(key);
    for (let hops = 0; next !== undefined && hops < 8; hops++) {
      target = next;
      next = this.#moved.get(`${next.host}:${next.port}`);
    }
    return target ?? null;
  };
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
    onSwitch: (from: MasterAddress, to: MasterAddress) => void,
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
        const change = parseSwitch(message, name);
        if (change !== undefined) onSwitch(change.from, change.to);
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
