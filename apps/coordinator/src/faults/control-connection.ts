// The coordinator's own connection to the run's Redis for fault injection: opened before measuring, reopened
// after a restart-redis took it down, never counted among the bridges' connections (it is named, and it is no
// publisher or subscriber).
import type { Redis, RedisOptions } from 'ioredis';
import { redisClientFor } from '../redis/url-client.js';

/** How long opening the control connection may take. */
const CONTROL_CONNECT_TIMEOUT_MS = 5000;
/** How long one control command may take (a paused Redis answers CLIENT PAUSE at once, and nothing else waits). */
const CONTROL_COMMAND_TIMEOUT_MS = 5000;

/** CLIENT SETNAME of the control connection: fault injection never kills a client of this name. */
export const CONTROL_CONNECTION_NAME = 'evbridge:harness:control';

export class ControlConnection {
  #client: Redis | undefined;
  #opening: Promise<Redis> | undefined;
  #closed = false;

  constructor(
    private readonly url: string,
    private readonly clientOptions: RedisOptions = {},
  ) {}

  /** A ready connection: the current one, or a new one when it is gone (Redis restarted). */
  get(): Promise<Redis> {
    if (this.#closed) return Promise.reject(new Error('the fault control connection was closed: the run is over'));
    if (this.#client?.status === 'ready') return Promise.resolve(this.#client);
    this.#opening ??= this.#open().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  /** Its CLIENT ID, so a kill never hits it. */
  async id(): Promise<number> {
    return Number(await (await this.get()).call('CLIENT', 'ID'));
  }

  close(): void {
    this.#closed = true;
    this.#client?.disconnect();
    this.#client = undefined;
  }

  async #open(): Promise<Redis> {
    this.#client?.disconnect();
    const client = redisClientFor(this.url, {
      ...this.clientOptions,
      lazyConnect: true,
      connectionName: CONTROL_CONNECTION_NAME,
      connectTimeout: CONTROL_CONNECT_TIMEOUT_MS,
      commandTimeout: CONTROL_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    let lastError: unknown;
    client.on('error', (error: unknown) => (lastError = error));
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      const cause = lastError ?? error;
      throw new Error(
        `could not open the control connection to Redis that --fault needs: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    if (this.#closed) {
      client.disconnect();
      throw new Error('the fault control connection was closed: the run is over');
    }
    this.#client = client;
    return client;
  }
}
