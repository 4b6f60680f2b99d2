// A private redis-server a test may freeze (SIGSTOP: no FIN, a half-open peer) and reconfigure; always stopped after.

import { startPrivateRedis, type PrivateRedis } from '../../../apps/coordinator/src/redis/private-server.js';

export class PausableRedis {
  readonly #server: PrivateRedis;
  #frozen = false;

  private constructor(server: PrivateRedis) {
    this.#server = server;
  }

  static async start(): Promise<PausableRedis> {
    return new PausableRedis(await startPrivateRedis());
  }

  /** `redis://:password@127.0.0.1:port`: never log it. */
  get url(): string {
    return this.#server.url;
  }

  get pid(): number {
    return this.#server.pid;
  }

  /** SIGSTOP: the kernel still accepts connections and ACKs data; Redis answers nothing. */
  freeze(): void {
    process.kill(this.#server.pid, 'SIGSTOP');
    this.#frozen = true;
  }

  thaw(): void {
    if (!this.#frozen) return;
    process.kill(this.#server.pid, 'SIGCONT');
    this.#frozen = false;
  }

  /** Thaw (a stopped process cannot act on SIGTERM) and stop the server; idempotent. */
  async stop(): Promise<void> {
    this.thaw();
    await this.#server.stop();
  }
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
