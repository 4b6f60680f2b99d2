// The run's phases from spawning the workers to the end of the measured window, and what each leaves behind for
// the wind-down and the report (RunState), however far the run got.
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import { type HarnessOptions, localWorkerCount } from '../config/harness-options.js';
import type { RunControl } from '../control/open-control.js';
import { FaultRun } from '../faults/fault-run.js';
import { Fleet } from '../fleet/fleet.js';
import { LAUNCHER_KINDS, launcherKindOf } from '../fleet/launcher-kinds.js';
import type { WorkerLauncher } from '../fleet/launcher.js';
import type { WorkerHandle } from '../fleet/worker-handle.js';
import { measureClockOffsets } from './clock-offset.js';
import { ClockReestimates } from './clock-reestimate.js';
import { type CheckedDriver, guard, type RunContext, type RunPhase } from './context.js';
import { excuseWorkerFaults } from './fault-silences.js';
import { configureWorkers, greet } from './handshake.js';
import type { HarnessDeps } from './harness-io.js';
import { measure, planTimes, type MeasureTimes } from './measure.js';
import { probeRound } from './probe.js';
import { Progress } from './progress.js';
import type { RedisTarget } from './redis-target.js';
import { liveSnapshot } from './live-snapshot.js';
import { SeriesCollector } from './series-collector.js';
import { StatsWatchdog } from './stats-watchdog.js';

/** What the phases have set up so far: each field is set once its phase has begun. */
export interface RunState {
  phase: RunPhase;
  workers: WorkerHandle[];
  context?: RunContext;
  faults?: FaultRun;
  times?: MeasureTimes;
  progress?: Progress;
  /** Every worker's interval stats, for the time series. */
  series?: SeriesCollector;
  watchdog?: StatsWatchdog;
  /** Re-estimates of the estimated worker clocks during the measured window. */
  clockReestimates?: ClockReestimates;
}

export interface PhaseSetup {
  runId: string;
  options: HarnessOptions;
  deps: HarnessDeps;
  namespace: string;
  redis: RedisTarget;
  launcher: WorkerLauncher;
  driver: CheckedDriver;
  /** The control channel remote workers connect to (--listen); undefined without remote workers. */
  control: RunControl | undefined;
}

/** Spawn, handshake, clock, configure, probe, measure; rejects with what stopped them (a failure, an interruption). */
export async function drivePhases(run: RunState, setup: PhaseSetup): Promise<void> {
  const { options, deps, namespace, redis } = setup;
  const { logger } = deps;
  const local = localWorkerCount(options);
  for (let index = 0; index < local; index += 1) run.workers.push(setup.launcher.start(index));
  if (local > 0) {
    logger.info(
      { pids: run.workers.map((worker) => worker.pid), namespace },
      LAUNCHER_KINDS[launcherKindOf(options)].started(local),
    );
  }
  if (setup.control !== undefined) await awaitRemoteWorkers(run, setup.control, options, deps.signal);
  const records = run.workers.map((worker) => ({ index: worker.index, pid: worker.pid }));
  const fleet = new Fleet(run.workers);
  const context: RunContext = { options, logger, fleet, namespace, signal: deps.signal, records, driver: setup.driver };
  run.context = context;
  run.phase = 'handshake';
  await greet(context);
  // Before configure: everything a worker times from then on (its driver's state changes included) is on this clock.
  run.phase = 'clock';
  await measureClockOffsets(context, { correct: deps.clockCorrection !== false });
  run.phase = 'configure';
  await configureWorkers(context, redis.url, redis.tls);
  run.phase = 'probe';
  await probeRound(context);
  // Opens what the faults need (a Redis control connection) before the clock starts, so injection is on time.
  const faults = await FaultRun.prepare(context, redis);
  run.faults = faults;
  run.phase = 'measure';
  const times = planTimes(context);
  run.times = times;
  const progress = new Progress(context, times, { stream: deps.progressStream, logger });
  run.progress = progress;
  const series = new SeriesCollector(context.fleet);
  run.series = series;
  // A worker that stops sending stats (SIGSTOP, a blocked event loop) is named and killed, not waited for.
  const watchdog = new StatsWatchdog(run.workers, {
    timeoutMs: options.statsTimeoutMs ?? HARNESS_DEFAULTS.statsTimeoutMs,
  });
  run.watchdog = watchdog;
  excuseWorkerFaults(watchdog, options, times.measureStartUs);
  watchdog.start();
  const reestimates = new ClockReestimates(context, times, deps.clockReestimateMs);
  run.clockReestimates = reestimates;
  reestimates.start();
  faults.start(times.measureStartUs, times.measureEndUs);
  const sources = { runId: setup.runId, context, times, series, progress, faults, phase: () => run.phase };
  deps.watcher?.measuring(() => liveSnapshot(sources));
  await measure(context, times, progress);
}

/**
 * Waits for every remote worker (local ones may fail or the user interrupt meanwhile); each joins run.workers after
 * the local ones as it arrives, so the wind-down shuts down whoever came, however the wait ends.
 */
async function awaitRemoteWorkers(
  run: RunState,
  control: RunControl,
  options: HarnessOptions,
  signal: AbortSignal,
): Promise<void> {
  const local = run.workers.length;
  try {
    await guard(
      { fleet: new Fleet([...run.workers]), signal },
      control.server.arrivals(options.arrivalTimeoutMs ?? HARNESS_DEFAULTS.arrivalTimeoutMs, control.howToStart),
    );
  } finally {
    run.workers.splice(local, Infinity, ...control.server.arrived);
  }
}
