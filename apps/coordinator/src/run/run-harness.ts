// A whole run, phase by phase: Redis, fleet, handshake, clock, probe, measure, finish, report; cleanup on every path.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { HarnessOptions } from '../config/harness-options.js';
import { EXIT_CODES } from '../config/exit-codes.js';
import { FaultRun } from '../faults/fault-run.js';
import { Fleet } from '../fleet/fleet.js';
import { createLauncher, type WorkerLauncher } from '../fleet/launcher.js';
import { WorkerFailure, describeExit, type WorkerHandle } from '../fleet/worker-handle.js';
import { buildReport } from '../report/build-report.js';
import type { Report, ReportProblem } from '../model/report.js';
import { measureClockOffsets } from './clock-offset.js';
import { RunInterrupted, type RunContext, type RunPhase } from './context.js';
import { finish } from './finish.js';
import { handshake } from './handshake.js';
import { measure, planTimes, type MeasureTimes } from './measure.js';
import { probeRound } from './probe.js';
import { Progress } from './progress.js';
import { provideRedis, type RedisTarget } from './redis-target.js';
import { checkRedisPermissions } from './preflight.js';
import { StatsWatchdog } from './stats-watchdog.js';
import { excuseWorkerFaults } from './fault-silences.js';
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import type { SecretRegistry } from '../log/secret-registry.js';
import { LAUNCHER_KINDS, launcherKindOf } from '../fleet/launcher-kinds.js';

export interface HarnessDeps {
  logger: Logger;
  /** Aborted with the signal's name on SIGINT/SIGTERM. */
  signal: AbortSignal;
  progressStream: NodeJS.WriteStream;
  /** Worker entry override (tests). */
  workerEntry?: string;
  /** Told every secret (Redis password) as soon as it is known, so logs can be scrubbed of it from then on. */
  secrets?: Pick<SecretRegistry, 'add'>;
}

export interface HarnessResult {
  exitCode: number;
  /** Undefined when the run ended before anything was measured. */
  report?: Report;
  /** One line for the user when the run could not be carried out. */
  error?: string;
  /** Secrets to scrub from anything printed. */
  secrets: string[];
}

/** Grace for workers to exit after "shutdown" before they are SIGKILLed. */
const SHUTDOWN_GRACE_MS = 2000;

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function runHarness(options: HarnessOptions, deps: HarnessDeps): Promise<HarnessResult> {
  const { logger } = deps;
  const runId = newRunId();
  const namespace = `evbridge:run:${runId}`;
  let redis: RedisTarget;
  try {
    redis = await provideRedis(options.redisUrl, logger, options.redisCaFile);
  } catch (error) {
    return { exitCode: EXIT_CODES.runFailed, error: messageOf(error), secrets: [] };
  }
  deps.secrets?.add(redis.secrets);
  if (!redis.info.private) {
    // A user's Redis: prove its user may do what every worker will before forking any (the private one is ours).
    try {
      await checkRedisPermissions(redis, namespace, options.readyTimeoutMs);
    } catch (error) {
      await redis.stop().catch(() => undefined);
      return { exitCode: EXIT_CODES.runFailed, error: messageOf(error), secrets: redis.secrets };
    }
  }
  let launcher: WorkerLauncher;
  try {
    launcher = await createLauncher(options, { logger, logLevel: options.logLevel, entry: deps.workerEntry });
  } catch (error) {
    await redis.stop().catch(() => undefined);
    return { exitCode: EXIT_CODES.runFailed, error: messageOf(error), secrets: redis.secrets };
  }
  const workers: WorkerHandle[] = [];
  let phase: RunPhase = 'spawn';
  let times: MeasureTimes | undefined;
  let progress: Progress | undefined;
  let outcome: Report['outcome'] = 'complete';
  let interruptedBy: string | undefined;
  const problems: ReportProblem[] = [];
  const failedWorkers = new Map<number, string>();
  const noteFailure = (error: unknown): void => {
    if (error instanceof WorkerFailure) {
      if (!failedWorkers.has(error.index)) failedWorkers.set(error.index, error.message);
      problems.push({ worker: error.index, pid: error.pid, message: error.message });
    } else {
      problems.push({ message: messageOf(error) });
    }
  };
  let context: RunContext | undefined;
  let faults: FaultRun | undefined;
  let watchdog: StatsWatchdog | undefined;
  try {
    for (let index = 0; index < options.procs; index += 1) {
      workers.push(launcher.start(index));
    }
    const fleet = new Fleet(workers);
    context = {
      options,
      logger,
      fleet,
      namespace,
      signal: deps.signal,
      records: workers.map((worker) => ({ index: worker.index, pid: worker.pid })),
    };
    logger.info(
      { pids: workers.map((worker) => worker.pid), namespace },
      LAUNCHER_KINDS[launcherKindOf(options)].started(workers.length),
    );
    phase = 'handshake';
    await handshake(context, redis.url, redis.tls);
    phase = 'clock';
    await measureClockOffsets(context);
    phase = 'probe';
    await probeRound(context);
    // Opens what the faults need (a Redis control connection) before the clock starts, so injection is on time.
    faults = await FaultRun.prepare(context, redis);
    phase = 'measure';
    times = planTimes(context);
    progress = new Progress(context, times, { stream: deps.progressStream, logger });
    // A worker that stops sending stats (SIGSTOP, a blocked event loop) is named and killed, not waited for.
    watchdog = new StatsWatchdog(workers, { timeoutMs: options.statsTimeoutMs ?? HARNESS_DEFAULTS.statsTimeoutMs });
    excuseWorkerFaults(watchdog, options, times.measureStartUs);
    watchdog.start();
    faults.start(times.measureStartUs, times.measureEndUs);
    await measure(context, times, progress);
  } catch (error) {
    if (error instanceof RunInterrupted) {
      outcome = 'interrupted';
      interruptedBy = error.signalName;
      problems.push({ message: `run interrupted by ${error.signalName} during ${phase}` });
    } else {
      outcome = 'failed';
      noteFailure(error);
      logger.error({ phase }, messageOf(error));
    }
  }
  let measuredMs = 0;
  try {
    // Waits until every hung worker it killed is gone, so finish asks only live workers.
    await watchdog?.stop();
    for (const failure of watchdog?.failures ?? []) {
      if (!failedWorkers.has(failure.index)) noteFailure(failure);
    }
    // No fault may land on a finishing worker: cancel those not yet due, wait for any in progress.
    await faults?.stop();
    for (const failure of faults?.failures() ?? []) {
      problems.push({ message: failure });
      if (outcome === 'complete') outcome = 'failed';
    }
    if (context && times) {
      phase = 'finish';
      measuredMs = Math.min(options.durationMs, Math.max(0, (nowUs() - times.measureStartUs) / 1000));
      const quick = outcome !== 'complete';
      const failures = await finish(context, {
        stopMs: quick ? 1000 : 10_000,
        drainMs: quick ? 300 : options.drainTimeoutMs,
      });
      failures.forEach(noteFailure);
      if (failures.length > 0 && outcome === 'complete') outcome = 'failed';
    }
  } finally {
    const exits = await new Fleet(workers).shutdown(SHUTDOWN_GRACE_MS);
    exits.forEach((exit, index) => {
      // A worker a fault killed on purpose is expected to be gone (its row in the report says so).
      if (
        exit.exitCode !== 0 &&
        !failedWorkers.has(index) &&
        !faults?.killedWorkers().has(index) &&
        outcome === 'complete'
      ) {
        problems.push({
          worker: index,
          pid: workers[index]!.pid,
          message: `worker ${index} ${describeExit(exit)} at shutdown`,
        });
      }
    });
    await launcher.close().catch((error: unknown) => logger.warn({ err: error }, 'could not release the workers'));
    await redis
      .stop()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not stop the private redis-server'));
  }
  const secrets = redis.secrets;
  if (!context || !times || !progress) {
    const error = problems.map((problem) => problem.message).join('; ') || 'the run ended before measuring';
    return { exitCode: interruptedExitCode(interruptedBy) ?? EXIT_CODES.runFailed, error, secrets };
  }
  const report = buildReport({
    options,
    runId,
    namespace,
    redis: redis.info,
    startedAt: times.startedAt,
    records: context.records,
    exits: workers.map((worker) => worker.exit),
    failedWorkers,
    progressLatencyByWorker: progress.soFarByWorker,
    outcome,
    problems,
    measuredMs,
    faultRun: faults?.report(),
  });
  const exitCode =
    interruptedExitCode(interruptedBy) ??
    (outcome === 'failed' ? EXIT_CODES.runFailed : report.passed ? EXIT_CODES.passed : EXIT_CODES.thresholdFailed);
  return { exitCode, report, secrets, error: outcome === 'failed' ? problems[0]?.message : undefined };
}

/** 128 + signal number, the shell's convention for a process stopped by a signal. */
function interruptedExitCode(signalName: string | undefined): number | undefined {
  if (signalName === undefined) return undefined;
  return signalName === 'SIGTERM' ? EXIT_CODES.interruptedBySigterm : EXIT_CODES.interruptedBySigint;
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
