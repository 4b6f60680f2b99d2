// The order of a bench's runs (raw, bridge, raw, bridge... per process count) and the harness options of each.

import { HARNESS_DEFAULTS } from '../config/defaults.js';
import type { HarnessOptions } from '../config/harness-options.js';
import type { LogLevel } from '../config/log-level.js';
import type { PacerName } from '../config/option-names.js';
import { resolveThresholds } from '../thresholds/default-thresholds.js';
import { armDelivery } from './delivery-arm.js';

export interface PlannedRun {
  /** 1-based position in the whole bench. */
  order: number;
  procs: number;
  /** 1-based pair number within this process count. */
  pair: number;
  /** `floor`: the harness-free floor (floor.ts), not the harness; in a drivers bench, the --drivers entry. */
  transport: BenchArmName;
  pacer: PacerName;
}

/**
 * What a bench run measures: `floor` (the harness-free floor), `raw` or `bridge` through the harness in a pairs or
 * sweep bench, or a driver (a built-in's name or a module path) in a drivers bench.
 */
export type BenchArmName = TransportName | 'floor' | (string & {});

/** The bench's two harness arms: the floor's raw driver and the bridge (the evbridge driver). */
export type TransportName = 'raw' | 'bridge';

/** The driver each harness arm runs. */
export const DRIVER_OF: Readonly<Record<TransportName, string>> = { raw: 'raw', bridge: 'evbridge' };

/** Raw first in every pair, so each bridge run is compared with the raw run measured just before it. */
export const PAIR_ORDER: readonly TransportName[] = ['raw', 'bridge'];

/** The pacer a pacer-effect run uses: precise (the bridge's best) against open-loop or naive-interval; open-loop against precise. */
export const otherPacer = (pacer: PacerName): PacerName => (pacer === 'precise' ? 'open-loop' : 'precise');

/**
 * Per process count, `pairs` rounds of raw then bridge on `pacer`. With `full` (a pairs bench), each round starts with
 * the harness-free floor (what the harness itself costs shows against it) and ends with the bridge on the other pacer
 * (same transport, two pacers: what the pacer alone does).
 */
export function planRuns(procsList: readonly number[], pairs: number, pacer: PacerName, full = false): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const procs of procsList) {
    for (let pair = 1; pair <= pairs; pair += 1) {
      if (full) runs.push({ order: runs.length + 1, procs, pair, transport: 'floor', pacer });
      for (const transport of PAIR_ORDER) runs.push({ order: runs.length + 1, procs, pair, transport, pacer });
      if (full) runs.push({ order: runs.length + 1, procs, pair, transport: 'bridge', pacer: otherPacer(pacer) });
    }
  }
  return runs;
}

export interface RunSettings {
  rateEventsPerSec: number;
  durationMs: number;
  warmupMs: number;
  payloadBytes: number;
  pacer: PacerName;
  logLevel: LogLevel;
}

/** Every worker has a second to connect and subscribe, never less than the harness default. */
const READY_MS_PER_PROC = 1_000;

/** The harness options of one run against the bench's Redis: no JSON file, default thresholds (reported, not judged). */
export function harnessOptionsFor(
  run: Pick<PlannedRun, 'procs'> & { transport: BenchArmName } & Partial<Pick<PlannedRun, 'pacer'>>,
  settings: RunSettings,
  redisUrl: string,
): HarnessOptions {
  return {
    procs: run.procs,
    rateEventsPerSec: settings.rateEventsPerSec,
    durationMs: settings.durationMs,
    warmupMs: settings.warmupMs,
    payloadBytes: settings.payloadBytes,
    redisUrl,
    redisUrlSource: 'option',
    jsonPath: undefined,
    thresholds: resolveThresholds([], run.procs),
    logLevel: settings.logLevel,
    driver: DRIVER_OF[run.transport as TransportName] ?? armDelivery(run.transport).driver,
    delivery: armDelivery(run.transport).delivery,
    pacer: run.pacer ?? settings.pacer,
    drainTimeoutMs: HARNESS_DEFAULTS.drainTimeoutMs,
    readyTimeoutMs: Math.max(HARNESS_DEFAULTS.readyTimeoutMs, run.procs * READY_MS_PER_PROC),
  };
}

/** The runs inside a bench log at warn, so its own output stays readable, unless the user asked for debug or trace. */
export function innerLogLevel(level: LogLevel): LogLevel {
  return level === 'debug' || level === 'trace' || level === 'error' || level === 'fatal' || level === 'silent'
    ? level
    : 'warn';
}
