// One bench: a private redis-server, the raw/bridge pairs, the drivers side by side or the find-max searches, the
// summary; Redis stopped on every path.

import { anyDurable } from './delivery-arm.js';
import { Writable } from 'node:stream';
import { FIND_MAX_DEFAULTS } from '../config/defaults.js';
import { EXIT_CODES } from '../config/exit-codes.js';
import { startPrivateRedis, type PrivateRedis } from '../redis/private-server.js';
import type { HarnessDeps } from '../run/harness-io.js';
import { BENCH_SCHEMA_VERSION, type BenchDocument, type BenchMode } from './bench-document.js';
import { CPU_METHODS } from './figures.js';
import { summarizeDrivers } from './drivers-plan.js';
import { loadAverage, machineInfo } from './machine-info.js';
import { awaitQuietStart, notQuietMessage, QUIET_LOAD, systemQuietDeps } from './quiet-machine.js';
import type { BenchOptions } from './options.js';
import { innerLogLevel, type RunSettings } from './plan.js';
import { sourceRevision } from './source-revision.js';
import { measureBench, type Measured, type RunBenchDeps } from './measure-bench.js';
import { summarizeBench } from './summarize.js';
import { fitSweep } from './sweep-fit.js';

export type { RunBenchDeps } from './measure-bench.js';

export interface BenchOutcome {
  exitCode: number;
  /** Undefined when nothing ran (Redis could not start). */
  doc?: BenchDocument;
  /** One line for the user when the bench could not be carried out. */
  error?: string;
  /** Secrets to scrub from anything printed or written. */
  secrets: string[];
}

export const IPC_NOT_MEASURED =
  'not in the run report, so not measured here; by design a worker sends one stats message per second (STATS_INTERVAL_MS = 1000) while it runs, plus a handful of one-off phase messages (hello, ready, pongs, probed, stopped, final), and nothing per event';

/** Progress of the runs inside goes nowhere: the bench prints one line per run instead. */
function discardStream(): NodeJS.WriteStream {
  const stream = new Writable({ write: (_chunk, _encoding, done) => done() }) as unknown as NodeJS.WriteStream;
  Object.defineProperty(stream, 'isTTY', { value: false });
  return stream;
}

export async function runBench(options: BenchOptions, deps: RunBenchDeps): Promise<BenchOutcome> {
  const { logger } = deps;
  const quietDeps =
    deps.quietDeps ??
    systemQuietDeps(
      deps.signal,
      () => loadAverage()[0],
      (what) => logger.info(what),
    );
  // A quiet machine first: the load average counts the bench's own processes once it runs.
  // --allow-load measures at once: it looks once, to record the load, and does not wait.
  const start = await awaitQuietStart(options.allowLoad ? 0 : options.quietWaitMs, quietDeps);
  if (!start.quiet) {
    if (!options.allowLoad)
      return { exitCode: EXIT_CODES.runFailed, error: notQuietMessage(start, 'before'), secrets: [] };
    logger.warn(
      `measuring under load (--allow-load): ${notQuietMessage(start, 'before').replace(/; stop what.*$/, '')}`,
    );
  }
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const revision = sourceRevision(deps.repoRoot);
  let redis: PrivateRedis;
  try {
    // A durable arm's stream must survive what a durable deployment's would: the Redis persists (AOF) for every arm.
    redis = await startPrivateRedis({ logger, ...(anyDurable(options.drivers) ? { appendOnly: true } : {}) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { exitCode: EXIT_CODES.runFailed, error: `could not start a private redis-server: ${reason}`, secrets: [] };
  }
  const settings: RunSettings = {
    rateEventsPerSec: options.rateEventsPerSec,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    payloadBytes: options.payloadBytes,
    pacer: options.pacer,
    logLevel: innerLogLevel(options.logLevel),
  };
  const harnessDeps: HarnessDeps = {
    logger: logger.child({}, { level: settings.logLevel }),
    signal: deps.signal,
    progressStream: discardStream(),
  };
  const drivers = options.drivers;
  const mode: BenchMode =
    drivers !== undefined
      ? options.findMax
        ? 'drivers-find-max'
        : 'drivers'
      : options.findMax
        ? 'find-max'
        : options.procsList.length > 1
          ? 'sweep'
          : 'pairs';
  const procs = options.procsList[0] ?? 1;
  let measured: Measured;
  try {
    measured = await measureBench(
      mode,
      options,
      { ...deps, quietDeps },
      { redisUrl: redis.url, settings, harnessDeps },
    );
  } finally {
    await redis
      .stop()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not stop the private redis-server'));
  }
  const { runs, findMax, findMaxByDriver, stoppedBecause, foreignCoresMax } = measured;
  const interrupted = deps.signal.aborted;
  // A find-max bench plans three searches (floor, raw, bridge); a drivers find-max one per driver.
  const planned = plannedCount(mode, options);
  const carriedOut =
    mode === 'find-max'
      ? findMax?.stopped === null
        ? 3
        : 0
      : mode === 'drivers-find-max'
        ? findMaxByDriver?.stopped === null
          ? planned
          : 0
        : runs.filter((run) => run.outcome === 'complete').length;
  const complete = !interrupted && carriedOut === planned;
  const summary =
    mode === 'pairs' || mode === 'sweep' ? summarizeBench(runs, options.procsList, options.pairs, options.pacer) : [];
  const cpuMethods = new Set(runs.map((run) => run.cpuMethod).filter((method) => method !== undefined));
  const doc: BenchDocument = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    mode,
    complete,
    startedAt,
    finishedAt: new Date().toISOString(),
    command: deps.command,
    machine: machineInfo(),
    revision,
    loadAverage: { start: loadAtStart, end: loadAverage() },
    quiet: {
      threshold: QUIET_LOAD,
      allowLoad: options.allowLoad,
      startLoad: start.load,
      waitedMs: start.waitedMs,
      foreignCoresMax,
      underLoad: !start.quiet || (foreignCoresMax ?? 0) >= QUIET_LOAD,
    },
    redis: {
      version: runs.find((run) => run.redisVersion !== undefined)?.redisVersion ?? redis.version,
      private: true,
    },
    settings: {
      procsList: options.procsList,
      rateEventsPerSec: options.rateEventsPerSec,
      // With --find-max, what each step measured (the step defaults unless given).
      durationMs: options.findMax
        ? (options.findMaxStep.durationMs ?? FIND_MAX_DEFAULTS.stepDurationMs)
        : options.durationMs,
      warmupMs: options.findMax ? (options.findMaxStep.warmupMs ?? FIND_MAX_DEFAULTS.stepWarmupMs) : options.warmupMs,
      pairs: options.pairs,
      payloadBytes: options.payloadBytes,
      pacer: options.pacer,
      ...(drivers === undefined ? {} : { drivers }),
    },
    cpuMethod: [...cpuMethods].map((method) => CPU_METHODS[method]).join('; ') || CPU_METHODS.cpuPercent,
    ipcMethod: runs.some((run) => run.figures?.ipcMessagesPerWorkerPerSec != null)
      ? 'mean over workers of instances[].ipcMessagesPerSec: messages the coordinator received from each worker from the start message to the end of the measured window, per second'
      : IPC_NOT_MEASURED,
    runs,
    summary,
    sweepFits: mode === 'sweep' ? fitSweep(summary) : null,
    findMax,
    drivers: mode === 'drivers' && drivers !== undefined ? summarizeDrivers(runs, drivers, procs, options.pairs) : null,
    findMaxDrivers: findMaxByDriver,
  };
  const exitCode = interrupted
    ? String(deps.signal.reason) === 'SIGTERM'
      ? EXIT_CODES.interruptedBySigterm
      : EXIT_CODES.interruptedBySigint
    : complete
      ? EXIT_CODES.passed
      : EXIT_CODES.runFailed;
  const error =
    complete || interrupted
      ? undefined
      : stoppedBecause !== undefined
        ? `stopped after ${runs.length} of ${planned} runs: ${stoppedBecause}`
        : mode === 'find-max' || mode === 'drivers-find-max'
          ? `the search stopped early: ${(findMax ?? findMaxByDriver)?.stopped ?? 'unknown reason'}`
          : `${planned - carriedOut} of ${planned} runs could not be carried out (see above); they are left out of the summary`;
  return { exitCode, doc, error, secrets: [redis.password] };
}

/** Runs or searches a bench plans: per process count its rounds, or its searches. */
function plannedCount(mode: BenchMode, options: BenchOptions): number {
  switch (mode) {
    case 'find-max':
      return 3;
    case 'drivers-find-max':
      return options.drivers?.length ?? 0;
    case 'drivers':
      return (options.drivers?.length ?? 0) * options.pairs;
    default:
      return options.procsList.length * options.pairs * (mode === 'pairs' ? 4 : 2);
  }
}
