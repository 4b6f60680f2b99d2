// A worker as a real OS process, forked with execa and driven over its IPC channel.
import type { CoordinatorMessage, WorkerMessage, WorkerMessageOf } from '@evbridge/worker/protocol';
import { WORKER_NODE_FLAGS } from '@evbridge/worker/node-flags';
import { execaNode } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { MessageInbox } from './message-inbox.js';
import { relayWorkerLog } from './worker-log.js';
import { WorkerFailure, describeExit, type WorkerExit, type WorkerHandle } from './worker-handle.js';

export const WORKER_ENTRY = fileURLToPath(import.meta.resolve('@evbridge/worker/main'));

/** Forks one worker process with an IPC channel; its stdout/stderr carry logs only. */
function spawnWorker(entry: string, logLevel: string) {
  return execaNode(entry, [], {
    // The worker's own flags (see @evbridge/worker/node-flags) after the coordinator's.
    nodeOptions: [...process.execArgv, ...WORKER_NODE_FLAGS],
    ipc: true,
    serialization: 'json',
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
    // No secret reaches the worker through argv or the environment: the Redis URL arrives over IPC.
    env: { EVBRIDGE_LOG_LEVEL: logLevel, REDIS_URL: undefined },
  });
}

export interface ProcessWorkerOptions {
  index: number;
  logger: Logger;
  logLevel: string;
  /** Runs the worker from another script (tests use fixtures). */
  entry?: string;
}

export class ProcessWorker implements WorkerHandle {
  readonly index: number;
  readonly pid: number;
  readonly exited: Promise<WorkerExit>;
  /** Rejects with the first failure of this worker (unexpected exit, invalid message, reported error). */
  readonly failed: Promise<never>;
  readonly #subprocess: ReturnType<typeof spawnWorker>;
  readonly #inbox: MessageInbox;
  #exit: WorkerExit | undefined;
  /** Set once the run has told the worker to shut down: its exit is then expected. */
  #expectExit = false;
  #messagesReceived = 0;

  get messagesReceived(): number {
    return this.#messagesReceived;
  }

  constructor(options: ProcessWorkerOptions) {
    this.index = options.index;
    const subprocess = spawnWorker(options.entry ?? WORKER_ENTRY, options.logLevel);
    this.#subprocess = subprocess;
    if (subprocess.pid === undefined) throw new Error(`worker ${options.index} could not be started`);
    this.pid = subprocess.pid;
    const log = options.logger.child({ worker: options.index, workerPid: this.pid });
    let rejectFailed!: (error: Error) => void;
    this.failed = new Promise<never>((_resolve, reject) => (rejectFailed = reject));
    this.failed.catch(() => undefined);
    this.#inbox = new MessageInbox(
      (message) => new WorkerFailure(this.index, this.pid, message, this.#exit ?? null),
      rejectFailed,
    );
    for (const stream of [subprocess.stdout, subprocess.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => relayWorkerLog(log, line));
    }
    subprocess.on('message', (raw: unknown) => {
      this.#messagesReceived += 1;
      this.#inbox.deliver(raw);
    });
    this.exited = subprocess.then((result) => {
      this.#exit = { exitCode: result.exitCode ?? null, signal: result.signal ?? null };
      if (!this.#expectExit) {
        this.#inbox.failAll(new WorkerFailure(this.index, this.pid, describeExit(this.#exit), this.#exit));
      }
      return this.#exit;
    });
  }

  /** Exit status once the worker has exited. */
  get exit(): WorkerExit | undefined {
    return this.#exit;
  }

  get failure(): Error | undefined {
    return this.#inbox.failure;
  }

  async send(message: CoordinatorMessage): Promise<void> {
    if (message.type === 'shutdown') this.#expectExit = true;
    if (this.#exit) throw new WorkerFailure(this.index, this.pid, `cannot be sent "${message.type}": it ${describeExit(this.#exit)}`, this.#exit);
    await this.#subprocess.sendMessage(message);
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

  suspend(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.#exit) return;
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      // Exited a moment ago (not yet reaped by execa): nothing left to stop or continue.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<WorkerExit> {
    this.#expectExit = true;
    if (!this.#exit) this.#subprocess.kill(signal);
    return this.exited;
  }
}
