// A worker as a real OS process, forked with execa and driven over its IPC channel.
import type { CoordinatorMessage } from '@evbridge/worker/protocol';
import { WORKER_NODE_FLAGS } from '@evbridge/worker/node-flags';
import { execaNode } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { InboxWorker } from './inbox-worker.js';
import { relayWorkerLog } from './worker-log.js';
import type { WorkerExit } from './worker-handle.js';

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

export class ProcessWorker extends InboxWorker {
  readonly pid: number;
  readonly exited: Promise<WorkerExit>;
  readonly #subprocess: ReturnType<typeof spawnWorker>;

  constructor(options: ProcessWorkerOptions) {
    super(options.index);
    const subprocess = spawnWorker(options.entry ?? WORKER_ENTRY, options.logLevel);
    this.#subprocess = subprocess;
    if (subprocess.pid === undefined) throw new Error(`worker ${options.index} could not be started`);
    this.pid = subprocess.pid;
    const log = options.logger.child({ worker: options.index, workerPid: this.pid });
    for (const stream of [subprocess.stdout, subprocess.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => relayWorkerLog(log, line));
    }
    subprocess.on('message', (raw: unknown) => this.receive(raw));
    this.exited = subprocess.then((result) => this.exitedWith({ exitCode: result.exitCode ?? null, signal: result.signal ?? null }));
  }

  protected async post(message: CoordinatorMessage): Promise<void> {
    await this.#subprocess.sendMessage(message);
  }

  suspend(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.exit) return;
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      // Exited a moment ago (not yet reaped by execa): nothing left to stop or continue.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<WorkerExit> {
    this.expectExit();
    if (!this.exit) this.#subprocess.kill(signal);
    return this.exited;
  }
}
