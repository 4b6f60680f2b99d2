// The run's workers as one unit: spawn them all, learn of the first failure, and never leave one behind.
import type { CoordinatorMessage, WorkerMessage, WorkerMessageOf } from '@evbridge/protocol';
import type { WorkerExit, WorkerHandle } from './worker-handle.js';

export class Fleet {
  /** Rejects with the first failure of any worker. */
  readonly failure: Promise<never>;

  constructor(readonly workers: readonly WorkerHandle[]) {
    this.failure = Promise.race(workers.map((worker) => worker.failed));
    this.failure.catch(() => undefined);
  }

  get size(): number {
    return this.workers.length;
  }

  async broadcast(message: CoordinatorMessage | ((worker: WorkerHandle) => CoordinatorMessage)): Promise<void> {
    await Promise.all(
      this.workers.map((worker) => worker.send(typeof message === 'function' ? message(worker) : message)),
    );
  }

  /** The next message of `type` from every worker, in worker order. */
  collect<T extends WorkerMessage['type']>(type: T, timeoutMs: number): Promise<Array<WorkerMessageOf<T>>> {
    return Promise.all(this.workers.map((worker) => worker.next(type, timeoutMs)));
  }

  /**
   * Asks every live worker to shut down, waits up to `graceMs`, then terminates whoever is left.
   * Resolves when every worker process has exited.
   */
  async shutdown(graceMs: number): Promise<WorkerExit[]> {
    // Asked, not awaited: the grace period bounds everything, a send to a stopped worker included.
    for (const worker of this.workers) {
      if (!worker.exit) worker.send({ type: 'shutdown' }).catch(() => undefined);
    }
    let timer: NodeJS.Timeout | undefined;
    const allExited = Promise.all(this.workers.map((worker) => worker.exited));
    const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const first = await Promise.race([allExited, graceOver]);
    clearTimeout(timer);
    if (first !== 'timeout') return first;
    return Promise.all(this.workers.map((worker) => (worker.exit ? worker.exited : worker.terminate())));
  }

  /** Ends every live worker at once (last resort). */
  terminateAll(): Promise<WorkerExit[]> {
    return Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
