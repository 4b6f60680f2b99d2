// A worker as the run sees it: a forked process, a worker thread, later a worker on another host, behind one
// interface that speaks the protocol; OS control (signals) is a capability only some kinds have.
import type { CoordinatorMessage, WorkerMessage, WorkerMessageOf } from '@evbridge/protocol';

export interface WorkerExit {
  exitCode: number | null;
  signal: string | null;
  /** How a worker without an exit status of its own ended (a worker thread), as a verb phrase: "was terminated ...". */
  reason?: string;
}

export interface WorkerHandle {
  readonly index: number;
  /**
   * Host pid of the process that runs this worker's bridge, as the coordinator sees it: the forked node process; in
   * a PID namespace the node inside it (known once it said hello; the launcher's pid until then); for a worker
   * thread, this process's pid.
   */
  readonly pid: number;
  send(message: CoordinatorMessage): Promise<void>;
  /** Next message of `type` (buffered if it arrived early); rejects when the worker fails or the wait times out. */
  next<T extends WorkerMessage['type']>(type: T, timeoutMs: number): Promise<WorkerMessageOf<T>>;
  /** Called for every valid stats message. */
  onStats(listener: (stats: WorkerMessageOf<'stats'>) => void): void;
  /** Rejects with the first failure of this worker (unexpected exit, invalid message, reported error). */
  readonly failed: Promise<never>;
  /** Exit status once the worker has exited. */
  readonly exit: WorkerExit | undefined;
  /** IPC messages received from this worker so far (valid or not). */
  readonly messagesReceived: number;
  /** Resolves when the worker has exited, whichever way. */
  readonly exited: Promise<WorkerExit>;
  /**
   * Ends the worker at once, the way its kind can (a process: SIGKILL; a thread: its task aborted and its thread
   * terminated), and waits for its exit. Its exit is then expected, not a failure.
   */
  terminate(): Promise<WorkerExit>;
  /** Rejects every pending wait on this worker with `error` (the first failure wins). */
  fail(error: Error): void;
  /**
   * Signals to the worker's own OS process, for the faults that need them (stop-worker, slow-consumer); undefined
   * where the worker has no process of its own to signal (a worker thread; a worker on another host).
   */
  readonly os: OsControl | undefined;
}

/** What the coordinator can do to a worker through the OS. */
export interface OsControl {
  /** Stops (SIGSTOP) or continues (SIGCONT) the worker, an injected fault: no exit is expected. No-op once it exited. */
  suspend(signal: 'SIGSTOP' | 'SIGCONT'): void;
}

/** Why a run could not be carried out because of one worker. */
export class WorkerFailure extends Error {
  constructor(
    readonly index: number,
    readonly pid: number,
    message: string,
    readonly exit: WorkerExit | null = null,
    options?: ErrorOptions & { host?: string | undefined },
  ) {
    // A worker on another host is named by its host too: its pid alone says nothing there.
    const host = options?.host === undefined ? '' : `host ${options.host}, `;
    super(`worker ${index} (${host}pid ${pid}) ${message}`, options);
    this.name = 'WorkerFailure';
  }
}

export function describeExit(exit: WorkerExit): string {
  if (exit.reason !== undefined) return exit.reason;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.exitCode}`;
}
