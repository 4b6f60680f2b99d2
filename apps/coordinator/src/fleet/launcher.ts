// How a run's workers come to life: one OS process each (--mode=procs, optionally each in its own PID namespace),
// or worker threads of this process (--mode=threads). The run sees WorkerHandles either way.
import type { Logger } from 'pino';
import { localWorkerCount, type HarnessOptions } from '../config/harness-options.js';
import { launcherKindOf, type LocalLauncherKind } from './launcher-kinds.js';
import { assertPidnsAvailable } from './pid-namespace.js';
import { ProcessWorker } from './process-worker.js';
import { createThreadLauncher } from './thread-worker.js';
import type { WorkerHandle } from './worker-handle.js';

export interface LauncherDeps {
  logger: Logger;
  logLevel: string;
  /** Worker entry override (tests use fixtures); procs mode only. */
  entry?: string;
  /**
   * Tests: worker i runs in its own Linux time namespace, its monotonic clock timeOffsetsS[i] whole seconds away
   * (root; procs mode only), as if on another host.
   */
  timeOffsetsS?: readonly number[];
}

export interface WorkerLauncher {
  /** Starts worker `index`; its hello, like every message, arrives through the handle. */
  start(index: number): WorkerHandle;
  /** Releases what the launcher holds (a thread pool) once every worker has exited. Safe to call twice. */
  close(): Promise<void>;
}

/** How each kind of worker is started: one table, chosen by launcherKindOf (launcher-kinds.ts says what each can do). */
const LAUNCHERS: Record<LocalLauncherKind, (procs: number, deps: LauncherDeps) => Promise<WorkerLauncher>> = {
  procs: async (_procs, deps) => processLauncher('none', deps),
  pidns: async (_procs, deps) => {
    await assertPidnsAvailable();
    return processLauncher('pidns', deps);
  },
  threads: async (procs, deps) => {
    if (deps.timeOffsetsS !== undefined)
      throw new Error("worker threads share their process's clock: time namespaces need --mode=procs");
    return createThreadLauncher(procs, deps);
  },
};

function processLauncher(isolate: 'none' | 'pidns', deps: LauncherDeps): WorkerLauncher {
  return {
    start: (index) => {
      const timeOffsetS = deps.timeOffsetsS?.[index];
      return new ProcessWorker({
        index,
        logger: deps.logger,
        logLevel: deps.logLevel,
        entry: deps.entry,
        isolate,
        ...(timeOffsetS === undefined ? {} : { timeOffsetS }),
      });
    },
    close: async () => undefined,
  };
}

/**
 * The launcher for `options`. Throws an Error with a one-line message naming the fix when the kind cannot run here
 * (no unshare, not root, not Linux): the run stops before any worker starts.
 */
export function createLauncher(
  options: Pick<HarnessOptions, 'mode' | 'isolate' | 'procs' | 'expectWorkers'>,
  deps: LauncherDeps,
): Promise<WorkerLauncher> {
  return LAUNCHERS[launcherKindOf(options)](localWorkerCount(options), deps);
}
