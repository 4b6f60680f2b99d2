// A worker as a real OS process, forked with execa and driven over its IPC channel; with --isolate=pidns, pid 1 of its
// own PID namespace (see pid-namespace.ts for the launch chain and its signals).
import { type CoordinatorMessage, WORKER_NODE_FLAGS } from '@evbridge/protocol';
import { execa, execaNode } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { InboxWorker } from './inbox-worker.js';
import {
  forkedChildPid,
  isUnshareSigkillNote,
  namespaceExit,
  namespaceInitPid,
  onPath,
  pidnsCommand,
} from './pid-namespace.js';
import { timeNamespaceArgs, timensCommand } from './time-namespace.js';
import { relayWorkerLog } from './worker-log.js';
import type { OsControl, WorkerExit } from './worker-handle.js';

export const WORKER_ENTRY = fileURLToPath(import.meta.resolve('@evbridge/worker/main'));

export type ProcessIsolation = 'none' | 'pidns';

/**
 * Forks one worker process with an IPC channel; its stdout/stderr carry logs only. `timeOffsetS` (tests): the worker
 * runs in its own time namespace, its monotonic clock that many seconds away (unshare's forked child).
 */
function spawnWorker(entry: string, logLevel: string, isolate: ProcessIsolation, timeOffsetS: number | undefined) {
  // The worker's own flags (see @evbridge/protocol's worker-flags.ts) after the coordinator's.
  const nodeOptions = [...process.execArgv, ...WORKER_NODE_FLAGS];
  const timeArgs = timeOffsetS === undefined ? [] : timeNamespaceArgs(timeOffsetS);
  if (isolate === 'pidns') {
    const launch = pidnsCommand(process.execPath, [...nodeOptions, entry], timeArgs);
    return execa(launch.file, launch.args, { ...SPAWN_OPTIONS, env: workerEnv(logLevel) });
  }
  if (timeOffsetS !== undefined) {
    const launch = timensCommand(process.execPath, [...nodeOptions, entry], timeOffsetS);
    return execa(launch.file, launch.args, { ...SPAWN_OPTIONS, env: workerEnv(logLevel) });
  }
  if (PARENT_DEATH_SIGNAL) {
    // setpriv execs node (same pid) with a parent-death signal: a worker outlives no coordinator, not even a
    // SIGKILLed one while the worker is SIGSTOPped (it cannot see its IPC channel close until continued).
    return execa('setpriv', ['--pdeathsig', 'KILL', '--', process.execPath, ...nodeOptions, entry], {
      ...SPAWN_OPTIONS,
      env: workerEnv(logLevel),
    });
  }
  return execaNode(entry, [], { nodeOptions, ...SPAWN_OPTIONS, env: workerEnv(logLevel) });
}

/** Linux with util-linux's setpriv: workers get PR_SET_PDEATHSIG; elsewhere they rely on their IPC channel closing. */
const PARENT_DEATH_SIGNAL = process.platform === 'linux' && onPath('setpriv');

const SPAWN_OPTIONS = {
  ipc: true,
  serialization: 'json',
  stdin: 'ignore',
  stdout: 'pipe',
  stderr: 'pipe',
  buffer: false,
  reject: false,
  cleanup: true,
} as const;

// No secret reaches the worker through argv or the environment: the Redis URL arrives over IPC.
const workerEnv = (logLevel: string) => ({ EVBRIDGE_LOG_LEVEL: logLevel, REDIS_URL: undefined });

export interface ProcessWorkerOptions {
  index: number;
  logger: Logger;
  logLevel: string;
  /** Runs the worker from another script (tests use fixtures). */
  entry?: string;
  /** 'pidns': the worker runs as pid 1 of its own PID namespace (Linux, root; createLauncher checks first). */
  isolate?: ProcessIsolation;
  /** Tests: the worker runs in its own time namespace, its monotonic clock this many whole seconds away (root). */
  timeOffsetS?: number;
}

export class ProcessWorker extends InboxWorker {
  readonly exited: Promise<WorkerExit>;
  readonly #subprocess: ReturnType<typeof spawnWorker>;
  readonly #isolate: ProcessIsolation;
  /** Started by unshare (a PID or a time namespace): node is unshare's child, and unshare reports its exit. */
  readonly #unshared: boolean;
  /** The forked process: the worker itself, or in a namespace its launcher (setpriv exec'd into unshare). */
  readonly #launcherPid: number;
  /** In a namespace: node's host pid, learnt from /proc once it said hello (or when it must be signalled). */
  #namespaceInitPid: number | undefined;
  /** In a namespace: node died of SIGKILL (unshare exits 1 then, see namespaceExit). */
  #nodeSigkilled = false;

  /** See WorkerHandle.pid: in a PID namespace the launcher's pid until the node inside is known. */
  get pid(): number {
    return this.#namespaceInitPid ?? this.#launcherPid;
  }

  constructor(options: ProcessWorkerOptions) {
    super(options.index);
    this.#isolate = options.isolate ?? 'none';
    this.#unshared = this.#isolate === 'pidns' || options.timeOffsetS !== undefined;
    const subprocess = spawnWorker(options.entry ?? WORKER_ENTRY, options.logLevel, this.#isolate, options.timeOffsetS);
    this.#subprocess = subprocess;
    if (subprocess.pid === undefined) throw new Error(`worker ${options.index} could not be started`);
    this.#launcherPid = subprocess.pid;
    const logger = options.logger;
    // Tagged with the pid the host knows the worker by: in a PID namespace, node's once it is known (its hello).
    let log = logger.child({ worker: options.index, workerPid: this.pid });
    const retag = (): void => {
      if (log.bindings()['workerPid'] !== this.pid) log = logger.child({ worker: options.index, workerPid: this.pid });
    };
    for (const stream of [subprocess.stdout, subprocess.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (this.#unshared && isUnshareSigkillNote(line)) this.#nodeSigkilled = true;
        else {
          if (this.#unshared) retag();
          relayWorkerLog(log, line);
        }
      });
    }
    subprocess.on('message', (raw: unknown) => {
      // The first message (hello) proves node runs: its host pid is in /proc now, before the run reads `pid`.
      if (this.#unshared) this.#nodePid();
      this.receive(raw);
    });
    this.exited = subprocess.then((result) => {
      const exit = { exitCode: result.exitCode ?? null, signal: result.signal ?? null };
      return this.exitedWith(this.#unshared ? namespaceExit(exit, this.#nodeSigkilled) : exit);
    });
  }

  /** The pid to signal the worker by: node itself, not its launcher; undefined in a namespace whose node is not there. */
  #nodePid(): number | undefined {
    if (!this.#unshared) return this.#launcherPid;
    this.#namespaceInitPid ??=
      this.#isolate === 'pidns' ? namespaceInitPid(this.#launcherPid) : forkedChildPid(this.#launcherPid);
    return this.#namespaceInitPid;
  }

  protected async post(message: CoordinatorMessage): Promise<void> {
    await this.#subprocess.sendMessage(message);
  }

  /** Signals reach node itself (in a PID namespace through its host pid). */
  readonly os: OsControl = { suspend: (signal) => this.#suspend(signal) };

  #suspend(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.#nodePid();
    if (this.exit || pid === undefined) return;
    try {
      process.kill(pid, signal);
    } catch (error) {
      // Exited a moment ago (not yet reaped by execa): nothing left to stop or continue.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /**
   * SIGKILL: in a PID namespace to node itself, which as pid 1 ignores any signal it has no handler for, SIGKILL aside.
   * Before node is forked, SIGKILL to unshare ends both (--kill-child).
   */
  async terminate(): Promise<WorkerExit> {
    this.expectExit();
    if (this.exit) return this.exited;
    const nodePid = this.#unshared ? this.#nodePid() : undefined;
    if (nodePid === undefined) {
      this.#subprocess.kill('SIGKILL');
      return this.exited;
    }
    try {
      process.kill(nodePid, 'SIGKILL');
      this.#nodeSigkilled = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    return this.exited;
  }
}
