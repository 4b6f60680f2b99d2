// What every kind of worker handle shares: raw messages validated through a MessageInbox, the first failure, the exit.
// A subclass (a forked process, a worker thread) says how a message is posted, how the worker is killed, and reports
// each raw message (receive) and its exit (exitedWith).
import type { CoordinatorMessage, WorkerMessage, WorkerMessageOf } from '@evbridge/protocol';
import { MessageInbox } from './message-inbox.js';
import { WorkerFailure, describeExit, type OsControl, type WorkerExit, type WorkerHandle } from './worker-handle.js';

export abstract class InboxWorker implements WorkerHandle {
  readonly index: number;
  abstract readonly pid: number;
  abstract readonly exited: Promise<WorkerExit>;
  /** Rejects with the first failure of this worker (unexpected exit, invalid message, reported error). */
  readonly failed: Promise<never>;
  readonly #inbox: MessageInbox;
  #exit: WorkerExit | undefined;
  /** Set once the run has told the worker to shut down (or killed it): its exit is then expected. */
  #expectExit = false;
  #messagesReceived = 0;

  constructor(index: number) {
    this.index = index;
    let rejectFailed!: (error: Error) => void;
    this.failed = new Promise<never>((_resolve, reject) => (rejectFailed = reject));
    this.failed.catch(() => undefined);
    this.#inbox = new MessageInbox(
      (message) => new WorkerFailure(this.index, this.pid, message, this.#exit ?? null, { host: this.host }),
      rejectFailed,
    );
  }

  /** Posts one message to the worker; the base has checked it is still there. */
  protected abstract post(message: CoordinatorMessage): Promise<void>;
  abstract terminate(): Promise<WorkerExit>;
  abstract readonly os: OsControl | undefined;

  /** The host a worker runs on when it is not this one (a remote worker), for its failures; undefined here. */
  get host(): string | undefined {
    return undefined;
  }

  get messagesReceived(): number {
    return this.#messagesReceived;
  }

  /** Exit status once the worker has exited. */
  get exit(): WorkerExit | undefined {
    return this.#exit;
  }

  get failure(): Error | undefined {
    return this.#inbox.failure;
  }

  /** One raw message from the worker, valid or not. */
  protected receive(raw: unknown): void {
    this.#messagesReceived += 1;
    this.#inbox.deliver(raw);
  }

  /** From now on the worker's exit is no failure. */
  protected expectExit(): void {
    this.#expectExit = true;
  }

  /** Whether the run has told the worker to shut down, or killed it. */
  protected get exitExpected(): boolean {
    return this.#expectExit;
  }

  /** Records the worker's exit; one nobody asked for fails every wait on it. */
  protected exitedWith(exit: WorkerExit): WorkerExit {
    this.#exit = exit;
    if (!this.#expectExit) {
      this.#inbox.failAll(new WorkerFailure(this.index, this.pid, describeExit(exit), exit, { host: this.host }));
    }
    return exit;
  }

  async send(message: CoordinatorMessage): Promise<void> {
    if (message.type === 'shutdown') this.#expectExit = true;
    if (this.#exit)
      throw new WorkerFailure(
        this.index,
        this.pid,
        `cannot be sent "${message.type}": it ${describeExit(this.#exit)}`,
        this.#exit,
        { host: this.host },
      );
    await this.post(message);
  }

  next<T extends WorkerMessage['type']>(type: T, timeoutMs: number): Promise<WorkerMessageOf<T>> {
    return this.#inbox.next(type, timeoutMs, `phase ${type}`);
  }

  onStats(listener: (stats: WorkerMessageOf<'stats'>) => void): void {
    this.#inbox.onStats(listener);
  }

  /** Rejects every pending wait on this worker with `error`. */
  fail(error: Error): void {
    this.#inbox.failAll(error);
  }
}
