// The kit's handle on one instance process: one command at a time, each answered in order; an exit fails what waits.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KitCommand, KitReply } from './messages.js';

const CHILD_PATH = fileURLToPath(new URL('./child.js', import.meta.url));
/** Longest one command may take (connect included) before the kit gives up on the instance. */
const COMMAND_TIMEOUT_MS = 20_000;

export class KitInstance {
  readonly #child: ChildProcess;
  readonly #waiting: { resolve: (reply: KitReply) => void; reject: (error: Error) => void }[] = [];
  readonly exited: Promise<number | null>;
  #stderr = '';

  constructor(readonly index: number) {
    this.#child = fork(CHILD_PATH, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-2000);
    });
    this.#child.on('message', (reply: KitReply) => this.#waiting.shift()?.resolve(reply));
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code) => {
        for (const waiter of this.#waiting.splice(0)) {
          waiter.reject(new Error(`instance ${index} exited (code ${code}) ${this.#stderr.trim()}`.trim()));
        }
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** Sends a command and resolves with its reply; a reply with ok:false rejects with the instance's error. */
  async ask<Reply extends KitReply & { ok: true }>(command: KitCommand): Promise<Reply> {
    const reply = await new Promise<KitReply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`instance ${this.index} did not answer "${command.cmd}" in ${COMMAND_TIMEOUT_MS} ms`)),
        COMMAND_TIMEOUT_MS,
      );
      this.#waiting.push({
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (!this.#child.connected) {
        this.#waiting
          .pop()
          ?.reject(new Error(`instance ${this.index} is gone (${this.#stderr.trim() || 'no output'})`));
        return;
      }
      this.#child.send(command, (error) => {
        if (error) this.#waiting.pop()?.reject(new Error(`instance ${this.index}: ${error.message}`));
      });
    });
    if (!reply.ok) throw new Error(`instance ${this.index}: ${reply.error}`);
    return reply as Reply;
  }

  /** Closes the IPC channel: an instance whose driver released everything then exits by itself. */
  disconnect(): void {
    if (this.#child.connected) this.#child.disconnect();
  }

  /** Whether it exits within `ms` of now; kills it (SIGKILL) if not, so the kit leaves no process behind. */
  async exitsWithin(ms: number): Promise<boolean> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const exited = await Promise.race([this.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    if (!exited) {
      this.#child.kill('SIGKILL');
      await this.exited;
    }
    return exited;
  }
}
