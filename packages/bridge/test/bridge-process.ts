// Drives test/fixtures/bridge-process.mjs: a bridge in its own OS process that a test can SIGSTOP and SIGCONT.

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BridgeCounters } from '../src/counters.js';
import type { BridgeOptions } from '../src/options.js';
import type { StateChange } from '../src/outage.js';
import type { BridgeState } from '../src/state.js';
import { waitFor } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/bridge-process.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

export type ChildMessage =
  | { type: 'connected'; instanceId: string }
  | { type: 'error'; message: string }
  | { type: 'state'; state: BridgeState; previous: BridgeState; change: StateChange }
  | { type: 'stats'; state: BridgeState; stats: BridgeCounters }
  | { type: 'log'; level: 'warn' | 'error' | 'debug'; obj: Record<string, unknown>; msg: string };

/** Options that survive IPC (no logger, no callbacks). */
export type ChildBridgeOptions = Omit<BridgeOptions, 'logger' | 'onSelfEcho'>;

export class BridgeProcess {
  readonly messages: ChildMessage[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #stopped = false;
  #instanceId = '';

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (message: ChildMessage) => this.messages.push(message));
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Fork the fixture and connect its bridge; resolves once it is ready (subscribed). */
  static async start(options: ChildBridgeOptions): Promise<BridgeProcess> {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run pnpm exec tsc -b before this test`);
    const child = new BridgeProcess(fork(FIXTURE, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    try {
      child.#child.send({ type: 'connect', options });
      await waitFor(
        () => child.messages.some((m) => m.type === 'connected' || m.type === 'error'),
        'the child bridge to connect',
        10_000,
      );
      const outcome = child.messages.find((m) => m.type === 'connected' || m.type === 'error')!;
      if (outcome.type === 'error') throw new Error(`the child bridge could not connect: ${outcome.message}`);
      if (outcome.type === 'connected') child.#instanceId = outcome.instanceId;
      return child;
    } catch (error) {
      await child.end();
      throw error;
    }
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get instanceId(): string {
    return this.#instanceId;
  }

  states(): Extract<ChildMessage, { type: 'state' }>[] {
    return this.messages.filter((m): m is Extract<ChildMessage, { type: 'state' }> => m.type === 'state');
  }

  /** SIGSTOP: the process reads nothing; its socket buffers fill, then Redis's output buffer for it grows. */
  freeze(): void {
    this.#child.kill('SIGSTOP');
    this.#stopped = true;
  }

  thaw(): void {
    if (!this.#stopped) return;
    this.#child.kill('SIGCONT');
    this.#stopped = false;
  }

  async stats(): Promise<Extract<ChildMessage, { type: 'stats' }>> {
    const before = this.messages.length;
    this.#child.send({ type: 'stats' });
    await waitFor(() => this.messages.slice(before).some((m) => m.type === 'stats'), 'stats from the child');
    return this.messages.slice(before).find((m): m is Extract<ChildMessage, { type: 'stats' }> => m.type === 'stats')!;
  }

  /** Thaw, close the IPC channel (the child closes its bridge and exits), SIGKILL after 5 s; waits for the exit. */
  async end(): Promise<void> {
    this.thaw();
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    if (this.#child.connected) this.#child.disconnect();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
