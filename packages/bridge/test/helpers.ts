// Test helpers: unique namespaces, bounded polling, raw Redis clients, bridges that are closed after each test.

import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { EventBridge } from '../src/bridge.js';
import type { BridgeOptions } from '../src/options.js';

export function redisUrl(): string {
  return inject('redisUrl');
}

export function uniqueNamespace(label: string): string {
  return `test.${label}.${randomBytes(4).toString('hex')}`;
}

/** Poll `condition` every 5 ms until it holds; fail after `timeoutMs` saying what was awaited. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(5);
  }
}

/** Keeps track of what a test opened, so afterEach can close it all. */
export class Fixture {
  // biome-ignore lint/suspicious/noExplicitAny: the fixture holds bridges of every event map
  readonly #bridges: EventBridge<any>[] = [];
  readonly #clients: Redis[] = [];

  bridge<E extends Record<string, unknown> = Record<string, unknown>>(
    options: Partial<BridgeOptions> = {},
  ): EventBridge<E> {
    const bridge = new EventBridge<E>({ redis: redisUrl(), ...options });
    this.#bridges.push(bridge);
    return bridge;
  }

  async connected<E extends Record<string, unknown> = Record<string, unknown>>(
    count: number,
    options: Partial<BridgeOptions>,
  ): Promise<EventBridge<E>[]> {
    const bridges = Array.from({ length: count }, () => this.bridge<E>(options));
    await Promise.all(bridges.map((b) => b.connect()));
    return bridges;
  }

  /** A plain ioredis client (of the suite's Redis unless `url` names another), quit after the test. */
  async raw(url: string = redisUrl()): Promise<Redis> {
    const client = new Redis(url, { lazyConnect: true });
    this.#clients.push(client);
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.#bridges.map((b) => b.close()));
    await Promise.all(this.#clients.map((c) => c.quit().catch(() => c.disconnect())));
    this.#bridges.length = 0;
    this.#clients.length = 0;
  }
}

/** Poll an async `condition` every 10 ms until it holds; fail after `timeoutMs` saying what was awaited. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(10);
  }
}

/** The CLIENT LIST ids of the connections named `name` (what CLIENT KILL ID takes). */
export async function clientIdsNamed(client: Redis, name: string): Promise<string[]> {
  const list = (await client.call('CLIENT', 'LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /\bid=(\d+)/.exec(line)?.[1] ?? '');
}

export async function numsub(client: Redis, channel: string): Promise<number> {
  const reply = (await client.call('PUBSUB', 'NUMSUB', channel)) as [string, number | string];
  return Number(reply[1]);
}
