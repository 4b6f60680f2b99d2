// How a run's workers come to life: one OS process each (--mode=procs, optionally each in its own PID namespace),
// or worker threads of this process (--mode=threads). The run sees WorkerHandles either way.
import type { Logger } from 'pino';
import type { HarnessOptions } from '../cli/harness-options.js';
import { assertPidnsAvailable } from './pid-namespace.js';
import { ProcessWorker } from './process-worker.js';
import { createThreadLauncher } from './thread-worker.js';
import type { WorkerHandle } from './worker-handle.js';

export interface LauncherDeps {
  logger: Logger;
  logLevel: string;
  /** Worker entry override (tests use fixtures); procs mode only. */
  entry?: string;
}

export interface WorkerLauncher {
  /** Starts worker `index`; its hello, like every message, arrives through the handle. */
  start(index: number): WorkerHandle;
  /** Releases what the launcher holds (a thread pool) once every worker has exited. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The launcher for `options`. Throws an Error with a one-line message naming the fix when the mode cannot run here
 * (no unshare, not root, not Linux): the run stops before any worker starts.
 */
export async function createLauncher(
  options: Pick<HarnessOptions, 'mode' | 'isolate' | 'procs'>,
  deps: LauncherDeps,
): Promise<WorkerLauncher> {
  if (options.mode === 'threads') return createThreadLauncher(options.procs, deps);
  const isolate = options.isolate ?? 'none';
  if (isolate === 'pidns') await assertPidnsAvailable();
  return {
    start: (index) => new ProcessWorker({ index, logger: deps.logger, logLevel: deps.logLevel, entry: deps.entry, isolate }),
    close: async () => undefined,
  };
}
