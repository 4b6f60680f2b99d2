// A redis-server this test starts itself, so it can kill it and start it again on the same port with the same password.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

export class RestartableRedis {
  readonly port: number;
  readonly #password = randomBytes(16).toString('hex');
  #server: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort());
    await redis.up();
    return redis;
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
    const server = spawn('redis-server', ['-'], { stdio: ['pipe', 'ignore', 'ignore'] });
    this.#server = server;
    server.stdin.end(`bind 127.0.0.1\nport ${this.port}\nrequirepass ${this.#password}\nsave ""\nappendonly no\n`);
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
