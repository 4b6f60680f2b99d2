// What a bench measures, by its mode: the floor/raw/bridge rounds or a sweep, the drivers side by side, or the
// find-max searches; with the foreign CPU seen during them.
import { streamKeyFor } from '@evbridge/bridge';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FindMaxStep } from '../find-max/find-max.js';
import type { HarnessDeps } from '../run/harness-io.js';
import type { BenchMode } from './bench-document.js';
import { planDriverRuns } from './drivers-plan.js';
import { findMaxDrivers, type FindMaxDrivers } from './find-max-drivers.js';
import { findMaxPair, type FindMaxPair } from './find-max-pair.js';
import { runFloor } from './floor.js';
import type { BenchOptions } from './options.js';
import { planRuns, type RunSettings } from './plan.js';
import {
  awaitQuietBetweenRuns,
  ForeignCpuMeter,
  notQuietMessage,
  QUIET_LOAD,
  type QuietDeps,
} from './quiet-machine.js';
import { runPairs, type BenchRun } from './run-pairs.js';
import type { FindMaxFn } from './find-max-pair.js';
import type { RunHarnessFn } from './run-pairs.js';

export interface RunBenchDeps {
  logger: Logger;
  /** Aborted with the signal's name on SIGINT/SIGTERM. */
  signal: AbortSignal;
  command: string;
  /** The repository root, for the git revision measured. */
  repoRoot: string;
  runHarness: RunHarnessFn;
  findMaxRate: FindMaxFn;
  /** How the bench sees the machine's load; the real load average and /proc by default (tests inject their own). */
  quietDeps?: QuietDeps;
  /** Runs the harness-free floor; floor.ts by default. */
  runFloor?: typeof runFloor;
  /** Measures other processes' CPU across one run or search; /proc by default. */
  measureForeign?: () => { stop(): number | null };
}

export interface Measured {
  runs: BenchRun[];
  findMax: FindMaxPair | null;
  findMaxByDriver: FindMaxDrivers | null;
  stoppedBecause: string | undefined;
  /** The most CPU processes outside the bench took during a run or search (cores); null where not measured. */
  foreignCoresMax: number | null;
}

export async function measureBench(
  mode: BenchMode,
  options: BenchOptions,
  deps: RunBenchDeps & { quietDeps: QuietDeps },
  setup: { redisUrl: string; settings: RunSettings; harnessDeps: HarnessDeps },
): Promise<Measured> {
  const { logger, quietDeps } = deps;
  const { settings, harnessDeps } = setup;
  const drivers = options.drivers;
  const procs = options.procsList[0] ?? 1;
  let runs: BenchRun[] = [];
  let findMax: FindMaxPair | null = null;
  let findMaxByDriver: FindMaxDrivers | null = null;
  let stoppedBecause: string | undefined;
  let foreignCoresMax: number | null = null;
  const measureForeign = deps.measureForeign ?? (() => new ForeignCpuMeter());
  const noteForeign = (cores: number | null): void => {
    if (cores !== null) foreignCoresMax = Math.max(foreignCoresMax ?? 0, cores);
  };
  const findMaxDeps = {
    ...harnessDeps,
    stepDurationMs: options.findMaxStep.durationMs,
    stepWarmupMs: options.findMaxStep.warmupMs,
  };
  if (mode === 'drivers-find-max' && drivers !== undefined) {
    const meter = measureForeign();
    findMaxByDriver = await findMaxDrivers(drivers, settings, {
      findMaxRate: deps.findMaxRate,
      findMaxDeps,
      redisUrl: setup.redisUrl,
      procs,
      onStep: (driver, step, index) => logStep(logger, driver, step, index),
    });
    noteForeign(meter.stop());
  } else if (mode === 'find-max') {
    const meter = measureForeign();
    findMax = await findMaxPair(settings, {
      findMaxRate: deps.findMaxRate,
      findMaxDeps,
      redisUrl: setup.redisUrl,
      procs,
      runFloor: deps.runFloor ?? runFloor,
      onStep: (arm, step, index) => logStep(logger, arm, step, index),
    });
    noteForeign(meter.stop());
  } else {
    // A pairs bench also runs the harness-free floor and the bridge on the other pacer in every round.
    const plan =
      drivers !== undefined
        ? planDriverRuns(drivers, procs, options.pairs, options.pacer)
        : planRuns(options.procsList, options.pairs, options.pacer, mode === 'pairs');
    ({ runs, stoppedBecause } = await runPairs(plan, settings, {
      measureForeign,
      runFloor: deps.runFloor ?? runFloor,
      // Other processes took CPU during the last run: wait for them to stop before the next one.
      beforeRun: async (previous) => {
        if (options.allowLoad || previous.foreignCores === null || previous.foreignCores < QUIET_LOAD) return undefined;
        const between = await awaitQuietBetweenRuns(options.quietWaitMs, quietDeps);
        return between.quiet ? undefined : notQuietMessage(between, 'between');
      },
      runHarness: deps.runHarness,
      harnessDeps,
      redisUrl: setup.redisUrl,
      takeStreamBytes: (namespace) => takeStreamBytes(setup.redisUrl, namespace),
      onStart: (run) =>
        logger.info(
          `run ${run.order}/${plan.length}: ${run.transport}, ${run.pacer} pacer, ${run.procs} procs, pair ${run.pair}`,
        ),
      onRun: (run) =>
        logger.info(
          {
            order: run.order,
            transport: run.transport,
            procs: run.procs,
            pair: run.pair,
            outcome: run.outcome,
            pids: run.pids,
          },
          `run ${run.order} ${run.transport}: ${run.outcome}` +
            (run.figures
              ? `, p50 ${run.figures.latencyP50Us} us, p99 ${run.figures.latencyP99Us} us, delivery ${run.figures.deliveryRatio}` +
                `, CPU ${run.figures.cpuUsPerDelivered} us/event`
              : '') +
            (run.redisStreamBytes === undefined
              ? ''
              : `, Redis stream ${(run.redisStreamBytes / 1024 / 1024).toFixed(1)} MiB`),
        ),
    }));
    for (const run of runs) noteForeign(run.foreignCores);
  }
  return { runs, findMax, findMaxByDriver, stoppedBecause, foreignCoresMax };
}

/** One line per find-max step. */
function logStep(logger: Logger, arm: string, step: FindMaxStep, index: number): void {
  logger.info(
    {
      transport: arm,
      step: index + 1,
      rateEventsPerSec: step.rateEventsPerSec,
      passed: step.passed,
      p99Us: step.p99Us,
    },
    `find-max ${arm} step ${index + 1}: ${step.rateEventsPerSec} events/s ${step.passed ? 'holds' : `fails (${step.reasons.join('; ')})`}`,
  );
}

/** MEMORY USAGE of a durable run's stream (every entry sampled), then DEL: the next run starts from the same Redis. */
async function takeStreamBytes(redisUrl: string, namespace: string): Promise<number | undefined> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const key = streamKeyFor(namespace);
    const bytes = (await client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null;
    await client.del(key);
    return bytes ?? undefined;
  } finally {
    client.disconnect();
  }
}
