// Validates a worker's raw IPC messages and hands each to whoever waits for its type; anything else fails the worker.
import { parseWorkerMessage, type WorkerMessage, type WorkerMessageOf } from '@evbridge/protocol/schema';

type Waiter = { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/** Phase messages a worker sends exactly once per run; they may arrive before the coordinator asks. */
const ONCE = new Set<WorkerMessage['type']>(['hello', 'ready', 'probed', 'stopped', 'final']);

export class MessageInbox {
  readonly #queues = new Map<WorkerMessage['type'], WorkerMessage[]>();
  readonly #waiters = new Map<WorkerMessage['type'], Waiter>();
  readonly #seen = new Set<WorkerMessage['type']>();
  readonly #statsListeners: Array<(stats: WorkerMessageOf<'stats'>) => void> = [];
  #failure: Error | undefined;
  /**
   * Pongs whose wait timed out (a clock re-estimate pinged a worker a fault had stopped): each may still arrive, and
   * is then dropped, not a protocol error (pingWorker checks every pong it gets against its ping's seq).
   */
  #latePongs = 0;

  /** `fail` builds the error for a message; `onFailure` hears the first failure once. */
  constructor(
    private readonly fail: (message: string) => Error,
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {}

  get failure(): Error | undefined {
    return this.#failure;
  }

  onStats(listener: (stats: WorkerMessageOf<'stats'>) => void): void {
    this.#statsListeners.push(listener);
  }

  deliver(raw: unknown): void {
    const parsed = parseWorkerMessage(raw);
    if (!parsed.ok) {
      this.failAll(this.fail(`sent an invalid message (${parsed.error})`));
      return;
    }
    const message = parsed.message;
    if (message.type === 'error') {
      this.failAll(this.fail(`reported an error in ${message.phase}: ${message.message}`));
      return;
    }
    if (message.type === 'stats') {
      for (const listener of this.#statsListeners) listener(message);
      return;
    }
    const once = ONCE.has(message.type);
    if (once && this.#seen.has(message.type)) {
      this.failAll(this.fail(`sent a second "${message.type}" message`));
      return;
    }
    this.#seen.add(message.type);
    const waiter = this.#waiters.get(message.type);
    if (waiter) {
      this.#waiters.delete(message.type);
      clearTimeout(waiter.timer);
      waiter.resolve(message);
      return;
    }
    if (message.type === 'pong' && this.#latePongs > 0) {
      this.#latePongs -= 1;
      return;
    }
    if (!once) {
      // A pong nobody waits for (no ping outstanding, none timed out) is a protocol error.
      this.failAll(this.fail(`sent an unexpected "${message.type}" message`));
      return;
    }
    const queue = this.#queues.get(message.type) ?? [];
    queue.push(message);
    this.#queues.set(message.type, queue);
  }

  next<T extends WorkerMessage['type']>(type: T, timeoutMs: number, what: string): Promise<WorkerMessageOf<T>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const queued = this.#queues.get(type)?.shift();
    if (queued) return Promise.resolve(queued as WorkerMessageOf<T>);
    if (this.#waiters.has(type)) return Promise.reject(new Error(`already waiting for "${type}"`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(type);
        if (type === 'pong') this.#latePongs += 1;
        reject(this.fail(`sent no "${type}" within ${timeoutMs} ms (${what})`));
      }, timeoutMs);
      this.#waiters.set(type, { resolve: resolve as (m: WorkerMessage) => void, reject, timer });
    });
  }

  /** Rejects every pending and future wait with `error` (the first failure wins). */
  failAll(error: Error): void {
    if (!this.#failure) {
      this.#failure = error;
      this.onFailure(error);
    }
    for (const waiter of this.#waiters.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(this.#failure);
    }
    this.#waiters.clear();
  }
}
