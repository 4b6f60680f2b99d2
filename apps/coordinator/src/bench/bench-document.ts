// The JSON a bench writes: settings, machine, every run's figures, the summary, the sweep fits, find-max results.

import type { PacerName } from '../config/option-names.js';
import type { DriversSummary } from './drivers-plan.js';
import type { FindMaxDrivers } from './find-max-drivers.js';
import type { FindMaxPair } from './find-max-pair.js';
import type { MachineInfo } from './machine-info.js';
import type { SourceRevision } from './source-revision.js';
import type { BenchRun } from './run-pairs.js';
import type { ProcsSummary } from './summarize.js';
import type { SweepFit } from './sweep-fit.js';

export const BENCH_SCHEMA_VERSION = 1;

export type BenchMode = 'pairs' | 'sweep' | 'find-max' | 'drivers' | 'drivers-find-max';

export interface BenchSettings {
  /** Process counts to run, in order; more than one is a sweep. */
  procsList: number[];
  rateEventsPerSec: number;
  durationMs: number;
  warmupMs: number;
  /** Raw/bridge pairs per process count. */
  pairs: number;
  payloadBytes: number;
  /** The pacer every run used (--pacer): what is compared runs on the same one. */
  pacer: PacerName;
  /** --drivers, in the order given (a drivers bench only). */
  drivers?: string[];
}

export interface BenchDocument {
  schemaVersion: typeof BENCH_SCHEMA_VERSION;
  mode: BenchMode;
  /** False when interrupted or when a run could not be carried out: the summary covers what was measured. */
  complete: boolean;
  startedAt: string;
  finishedAt: string;
  /** The command line as typed (pnpm bench ...). */
  command: string;
  machine: MachineInfo;
  /** The code measured. */
  revision: SourceRevision;
  /** os.loadavg() at start and end: with more load than cores, something else was running. */
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
  /**
   * Whether it measured on a quiet machine: the 1-minute load average before the first run (after waiting up to
   * --quiet-wait), and the most CPU processes outside the bench used during any run (cores; null where /proc cannot
   * tell). `underLoad` when either reached `threshold` (only possible with --allow-load): the figures carry a warning.
   */
  quiet: {
    threshold: number;
    allowLoad: boolean;
    startLoad: number;
    waitedMs: number;
    foreignCoresMax: number | null;
    underLoad: boolean;
  };
  redis: { version: string; private: true };
  settings: BenchSettings;
  /** How worker CPU per delivered event was computed. */
  cpuMethod: string;
  /** How (or whether) IPC messages per worker per second were obtained. */
  ipcMethod: string;
  runs: BenchRun[];
  summary: ProcsSummary[];
  /** Sweeps only (two process counts or more). */
  sweepFits: SweepFit[] | null;
  findMax: FindMaxPair | null;
  /** A drivers bench's summary (absent in other benches and in JSON from before it). */
  drivers?: DriversSummary | null;
  /** A drivers find-max bench's maxima. */
  findMaxDrivers?: FindMaxDrivers | null;
}

/** The command line to show: `pnpm bench ...` when run by the script, else the node invocation. */
export function commandLine(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const program = env.npm_lifecycle_event === 'bench' ? 'pnpm bench' : 'node apps/coordinator/dist/bench/main.js';
  return [program, ...argv.map(quoteArg)].join(' ');
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
