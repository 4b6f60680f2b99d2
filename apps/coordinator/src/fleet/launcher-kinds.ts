// The ways a run's workers come to life, as one table: what each is called, and what it can and cannot do. The
// launchers themselves (launcher.ts) are chosen from the same kinds; nothing else tests --mode or --isolate.

/**
 * One OS process per worker; the same, each in its own PID namespace; worker threads of the coordinator's process;
 * evbridge-worker processes on other hosts that connect to the coordinator (--listen, --expect-workers).
 */
export type LauncherKind = 'procs' | 'pidns' | 'threads' | 'remote';

/** The kinds the coordinator starts itself (launcher.ts); remote workers come to it (control/control-server.ts). */
export type LocalLauncherKind = Exclude<LauncherKind, 'remote'>;

export interface LauncherKindSpec {
  /** How a report's header names `n` such workers. */
  describe(n: number): string;
  /** The log line once `n` are running. */
  started(n: number): string;
  /** Each worker is an OS process of its own the coordinator can signal (stop-worker and slow-consumer need it). */
  osControl: boolean;
  /** Why instances that key their id on process.pid share one here; undefined where each has a pid of its own. */
  sharedPid: string | undefined;
  /** Each worker reads its whole process's CPU and RSS, shared with every other worker: compare them divided by N. */
  sharedProcess: boolean;
}

export const LAUNCHER_KINDS: Readonly<Record<LauncherKind, LauncherKindSpec>> = {
  procs: {
    describe: (n) => `${n} worker processes`,
    started: (n) => `forked ${n} workers`,
    osControl: true,
    sharedPid: undefined,
    sharedProcess: false,
  },
  pidns: {
    describe: (n) => `${n} worker processes, each in its own PID namespace (pid 1 inside)`,
    started: (n) => `forked ${n} workers, each in its own PID namespace`,
    osControl: true,
    sharedPid: 'every process in its own PID namespace is pid 1 (as in containers)',
    sharedProcess: false,
  },
  threads: {
    describe: (n) => `${n} worker threads of one process`,
    started: (n) => `started ${n} worker threads`,
    osControl: false,
    sharedPid: "worker threads share their process's pid (as bridges in one test process do)",
    sharedProcess: true,
  },
  remote: {
    describe: (n) => `${n} remote worker${n === 1 ? '' : 's'} (evbridge-worker over the control channel)`,
    started: (n) => `${n} remote worker${n === 1 ? '' : 's'} connected and authenticated`,
    // Another host's process: no signal reaches it; it ends itself on the coordinator's order (kill-worker).
    osControl: false,
    sharedPid: undefined,
    sharedProcess: false,
  },
};

/** The kind `--mode` and `--isolate` select (as a run's options or its report's `run` hold them). */
export function launcherKindOf(options: { mode?: 'procs' | 'threads'; isolate?: 'none' | 'pidns' }): LocalLauncherKind {
  if (options.mode === 'threads') return 'threads';
  return options.isolate === 'pidns' ? 'pidns' : 'procs';
}
