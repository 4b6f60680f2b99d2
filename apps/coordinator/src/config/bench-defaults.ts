// Every `pnpm bench` default and bound, in one place.

import { HARNESS_DEFAULTS } from './defaults.js';
import type { LogLevel } from './log-level.js';

export const BENCH_DEFAULTS = {
  /** Worker processes per run (--procs). */
  procs: 5,
  /** Total events per second across all workers (--rate). */
  rateEventsPerSec: 1_000,
  /** Measured phase of each run (--duration). */
  durationMs: 10_000,
  /** Unmeasured traffic before each measured phase (--warmup). */
  warmupMs: 3_000,
  /** Raw/bridge pairs per process count (--pairs): three, so a median and a spread mean something. */
  pairs: 3,
  /** Payload bytes per event (--payload). */
  payloadBytes: HARNESS_DEFAULTS.payloadBytes,
  /** The pacer of every run, raw and bridge alike (--pacer). */
  pacer: HARNESS_DEFAULTS.pacer,
  /** How long to wait for a quiet machine before refusing (--quiet-wait; --allow-load measures anyway). */
  quietWaitMs: 120_000,
  /** The bench's own log level (--log-level). */
  logLevel: 'info' as LogLevel,
  /** Where the JSON goes, under the repository root, when --json is not given. */
  jsonDir: 'bench-results',
  /** The file a dated section is appended to, at the repository root. */
  benchmarksFile: 'BENCHMARKS.md',
} as const;

export const BENCH_LIMITS = {
  pairsMax: 100,
  /** Fewer pairs than this: the output says the min-max spread is not worth much. */
  pairsRecommended: 3,
} as const;
