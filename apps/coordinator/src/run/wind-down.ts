// After the measured window, or whatever stopped the phases: the watchdog and the faults stopped, the workers stopped
// and drained; then every worker, the launcher and the Redis released, whichever way the run went.
import type { HarnessOptions } from '../config/harness-options.js';
import { Fleet } from '../fleet/fleet.js';
import type { RunControl } from '../control/open-control.js';
import type { WorkerLauncher } from '../fleet/launcher.js';
import { describeExit } from '../fleet/worker-handle.js';
import type { Logger } from 'pino';
import type { RunState } from './drive-phases.js';
import { finish } from './finish.js';
import type { RedisTarget } from './redis-target.js';
import type { RunOutcome } from './run-outcome.js';

/** Grace for workers to exit after "shutdown" before they are SIGKILLed. */
const SHUTDOWN_GRACE_MS = 2000;

/** Stops what watches and disturbs the workers, then collects their finals; returns the measured window's length. */
export async function windDown(run: RunState, outcome: RunOutcome, options: HarnessOptions): Promise<number> {
  // No ping may wait on a finishing worker.
  await run.clockReestimates?.stop();
  // Waits until every hung worker it killed is gone, so finish asks only live workers.
  await run.watchdog?.stop();
  for (const failure of run.watchdog?.failures ?? []) {
    if (!outcome.failedWorkers.has(failure.index)) outcome.noteFailure(failure);
  }
  // No fault may land on a finishing worker: cancel those not yet due, wait for any in progress.
  await run.faults?.stop();
  outcome.fail(run.faults?.failures() ?? []);
  if (!run.context || !run.times) return 0;
  run.phase = 'finish';
  const measuredMs = Math.min(options.durationMs, Math.max(0, (nowUs() - run.times.measureStartUs) / 1000));
  const quick = outcome.outcome !== 'complete';
  const failures = await finish(run.context, {
    stopMs: quick ? 1000 : 10_000,
    drainMs: quick ? 300 : options.drainTimeoutMs,
  });
  outcome.fail(failures);
  return measuredMs;
}

/** Shuts every worker down (a worker that exits badly is a problem of a complete run), then the launcher and Redis. */
export async function release(
  run: RunState,
  outcome: RunOutcome,
  held: { launcher: WorkerLauncher; redis: RedisTarget; control: RunControl | undefined; logger: Logger },
): Promise<void> {
  const exits = await new Fleet(run.workers).shutdown(SHUTDOWN_GRACE_MS);
  exits.forEach((exit, index) => {
    // A worker a fault killed on purpose is expected to be gone (its row in the report says so).
    if (
      exit.exitCode !== 0 &&
      !outcome.failedWorkers.has(index) &&
      !run.faults?.killedWorkers().has(index) &&
      outcome.outcome === 'complete'
    ) {
      outcome.problems.push({
        worker: index,
        pid: run.workers[index]!.pid,
        message: `worker ${index} ${describeExit(exit)} at shutdown`,
      });
    }
  });
  const { launcher, redis, control, logger } = held;
  await control?.close().catch((error: unknown) => logger.warn({ err: error }, 'could not close the control channel'));
  await launcher.close().catch((error: unknown) => logger.warn({ err: error }, 'could not release the workers'));
  await redis.stop().catch((error: unknown) => logger.warn({ err: error }, 'could not stop the private redis-server'));
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
