// A redis-server this test starts itself, so it can kill it and start it again on the same port with the same password.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { eventually } from './helpers.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * `appendfsync`: keep the data in an append-only file (in a mode-700 temp dir, removed by dispose()) fsynced
 * `always` (nothing acknowledged is lost to a SIGKILL) or `everysec`; without it nothing survives a restart.
 */
export interface RestartableRedisOptions {
  appendfsync?: 'always' | 'everysec';
}

export class RestartableRedis {
  readonly port: number;
  readonly #password = randomBytes(16).toString('hex');
  readonly #options: RestartableRedisOptions;
  readonly #dir: string | undefined;
  #server: ChildProcess | undefined;

  private constructor(port: number, options: RestartableRedisOptions) {
    this.port = port;
    this.#options = options;
    // mkdtemp makes the dir mode 700: the AOF holds the data, readable by its owner only.
    this.#dir = options.appendfsync === undefined ? undefined : mkdtempSync(join(tmpdir(), 'evbridge-aof-test-'));
  }

  static async start(options: RestartableRedisOptions = {}): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort(), options);
    await redis.up();
    return redis;
  }

  /** Stop the server (SIGKILL) and remove its data dir, if any. */
  async dispose(): Promise<void> {
    await this.down();
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
  }

  #config(): string {
    const persistence =
      this.#dir === undefined
        ? 'appendonly no\n'
        : `appendonly yes\nappendfsync ${this.#options.appendfsync}\ndir ${this.#dir}\n`;
    return `bind 127.0.0.1\nport ${this.port}\nrequirepass ${this.#password}\nsave ""\n${persistence}`;
  }

  /** Contains the password: never log it. */
  get url(): string {
    return `redis://:${this.#password}@127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#server?.pid;
  }

  /** Start redis-server (config, password included, on stdin: never argv) and wait until it answers PING. */
  async up(): Promise<void> {
    // setpriv execs redis-server with PR_SET_PDEATHSIG: it dies with this test process, however that ends.
    const server = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'redis-server', '-'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.#server = server;
    server.stdin.end(this.#config());
    await eventually(async () => {
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    }, `redis-server on port ${this.port}`);
  }

  /** SIGKILL (no goodbye to the clients beyond the kernel's reset) and wait for the exit. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }
}
