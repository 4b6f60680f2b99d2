// A worker as a worker thread of this process (--mode=threads): one piscina task for the whole run, driven over a
// transferred MessagePort with the same protocol and the same validation (MessageInbox) as a forked process.
//
// What differs from a process, and why:
// - pid is this process's pid, for every thread (hello.pid says the same): what --identity=pid collides on.
// - Resources: the worker's sampler reads process.memoryUsage().rss and process.cpuUsage(), which in a worker thread
//   are the whole process's (Node 20 has no per-thread CPU time), so each thread reports the process's RSS and CPU;
//   heapUsed and the event-loop delay are the thread's own. The sampler stays as is; whoever compares modes divides
//   the process-wide figures by N.
// - It cannot be stopped alone (SIGSTOP stops every thread) and has no exit code of its own: its exit is its task's
//   end (exit code 0 once it resolved after "shutdown"), or a reason (terminated, failed).
import type { CoordinatorMessage } from '@evbridge/protocol';
import { once } from 'node:events';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Piscina } from 'piscina';
import { InboxWorker } from './inbox-worker.js';
import { relayWorkerLog } from './worker-log.js';
import type { WorkerExit } from './worker-handle.js';

export interface ThreadWorkerOptions {
  index: number;
  /** The pool that runs the task; it has a thread free for it (one thread per worker). */
  pool: Piscina;
  logger: Logger;
  logLevel: string;
}

export class ThreadWorker extends InboxWorker {
  readonly pid = process.pid;
  readonly exited: Promise<WorkerExit>;
  readonly #pool: Piscina;
  readonly #abort = new AbortController();
  readonly #port: MessagePort;
  /** The thread running the task, learnt from its hello (piscina does not say which thread took a task). */
  #threadId: number | undefined;
  /** Set by terminate(): resolves with the terminated thread's exit code (null when its thread was not known yet). */
  #terminated: Promise<number | null> | undefined;

  constructor(options: ThreadWorkerOptions) {
    super(options.index);
    this.#pool = options.pool;
    const protocol = new MessageChannel();
    const logs = new MessageChannel();
    this.#port = protocol.port1;
    const log = options.logger.child({ worker: options.index, workerPid: this.pid });
    protocol.port1.on('message', (raw: unknown) => {
      if (this.#threadId === undefined) this.#threadId = helloThreadId(raw);
      this.receive(raw);
    });
    logs.port1.on('message', (line: unknown) => relayWorkerLog(log, String(line)));
    // The run's own waits keep the process alive; an open port must not keep it alive after the run.
    protocol.port1.unref();
    logs.port1.unref();
    const task = { port: protocol.port2, logPort: logs.port2, logLevel: options.logLevel };
    this.exited = this.#pool
      .run(task, { transferList: [protocol.port2, logs.port2], signal: this.#abort.signal })
      .then(
        () => ({ exitCode: 0, signal: null }),
        async (error: unknown): Promise<WorkerExit> => {
          if (this.#terminated) {
            const exitCode = await this.#terminated;
            const code = exitCode === null ? '' : `, exit code ${exitCode}`;
            return { exitCode, signal: null, reason: `was terminated (its task aborted, its thread ended${code})` };
          }
          return {
            exitCode: null,
            signal: null,
            reason: `failed in its thread: ${error instanceof Error ? error.message : String(error)}`,
          };
        },
      )
      .then((exit) => {
        if (exit.exitCode === 0 && !this.exitExpected) {
          return this.exitedWith({ ...exit, reason: 'ended its task before it was told to shut down' });
        }
        return this.exitedWith(exit);
      });
  }

  protected async post(message: CoordinatorMessage): Promise<void> {
    this.#port.postMessage(message);
  }

  /** None: a signal stops or kills the whole process, every instance with it. */
  readonly os = undefined;

  /** Aborts the task: piscina terminates its thread; resolves once the thread exited. */
  async terminate(): Promise<WorkerExit> {
    this.expectExit();
    if (!this.exit && !this.#terminated) {
      const thread = this.#pool.threads.find((candidate) => candidate.threadId === this.#threadId);
      this.#terminated = thread ? exitCodeOf(thread) : Promise.resolve(null);
      this.#abort.abort(new Error(`worker ${this.index} killed`));
    }
    this.#port.close();
    return this.exited;
  }
}

/** The exit code of `thread` once it exits (1 for a terminated thread). */
async function exitCodeOf(thread: Worker): Promise<number> {
  const [code] = (await once(thread, 'exit')) as [number];
  return code;
}

/** threadId of a raw hello message, undefined for anything else (validation is the inbox's job). */
function helloThreadId(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, threadId } = raw as { type?: unknown; threadId?: unknown };
  return type === 'hello' && typeof threadId === 'number' ? threadId : undefined;
}

export const THREAD_ENTRY = fileURLToPath(import.meta.resolve('@evbridge/worker/thread-main'));

/** A day: longer than any run, so piscina never retires a thread while its worker runs. */
const IDLE_TIMEOUT_MS = 86_400_000;

export interface ThreadLauncherDeps {
  logger: Logger;
  logLevel: string;
  /** Runs each worker thread from another module (tests use fixtures); default @evbridge/worker/thread-main. */
  threadEntry?: string;
}

/**
 * `procs` worker threads in one piscina pool, one task (one worker) per thread. The workers' Node flags
 * (@evbridge/protocol's worker-flags.ts) do not apply: they are V8 settings of a whole process (--v8-pool-size,
 * the young generation's size), so the threads run with this process's.
 */
export function createThreadLauncher(
  procs: number,
  deps: ThreadLauncherDeps,
): { start(index: number): ThreadWorker; close(): Promise<void> } {
  const pool = new Piscina({
    filename: deps.threadEntry ?? THREAD_ENTRY,
    minThreads: procs,
    maxThreads: procs,
    // One task per thread, so N tasks run on N threads at once, each its own event loop.
    concurrentTasksPerWorker: 1,
    idleTimeout: IDLE_TIMEOUT_MS,
    // Between tasks a thread would block in Atomics.wait; a worker's thread must keep serving its event loop.
    atomics: 'disabled',
  });
  // A thread that fails with no task running (never expected) would otherwise throw from the pool's 'error' event.
  pool.on('error', (error: unknown) => deps.logger.warn({ err: error }, 'a worker thread failed outside its task'));
  let closing: Promise<void> | undefined;
  return {
    start: (index) => new ThreadWorker({ index, pool, logger: deps.logger, logLevel: deps.logLevel }),
    close: () => (closing ??= pool.destroy()),
  };
}
