// What every phase of a run shares: options, logger, the fleet, the interrupt signal, and per-worker records.
import type { Logger } from 'pino';
import type { HarnessOptions } from '../config/harness-options.js';
import type { Fleet } from '../fleet/fleet.js';
import type { WorkerRecord } from '../model/worker-record.js';
import type { DriverDefinition } from '@evbridge/driver';

export type RunPhase =
  | 'redis'
  | 'spawn'
  | 'handshake'
  | 'clock'
  | 'configure'
  | 'probe'
  | 'measure'
  | 'finish'
  | 'report';

export interface RunContext {
  options: HarnessOptions;
  logger: Logger;
  fleet: Fleet;
  namespace: string;
  records: WorkerRecord[];
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** The system under test, loaded and checked before any worker started. */
  driver: CheckedDriver;
}

/** The driver of a run, loaded and checked (check-driver.ts) before any worker started. */
export interface CheckedDriver {
  /** What every worker loads: a built-in's name, or the module's file: URL. */
  spec: string;
  builtin: boolean;
  definition: DriverDefinition;
}

/** The user stopped the run (SIGINT/SIGTERM). */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
  constructor(readonly signalName: string) {
    super(`interrupted by ${signalName}`);
  }
}

/** The run cannot be carried out for a reason that is not one worker's fault (e.g. an identity collision). */
export class RunSetupError extends Error {
  override name = 'RunSetupError';
}

/** Resolves like `promise`, unless a worker fails or the run is interrupted first. */
export function guard<T>(context: Pick<RunContext, 'fleet' | 'signal'>, promise: Promise<T>): Promise<T> {
  const { signal } = context;
  if (signal.aborted) return Promise.reject(new RunInterrupted(String(signal.reason)));
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new RunInterrupted(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, context.fleet.failure, interrupted]).finally(() => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

/** Resolves after `ms` (a scheduled phase boundary, not a synchronisation). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
