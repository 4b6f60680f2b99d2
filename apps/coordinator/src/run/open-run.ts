// Before any worker starts: the run's Redis (a user's must let the run do what every worker will), the driver
// (loaded and checked) and the launcher.
import type { HarnessOptions } from '../config/harness-options.js';
import { EXIT_CODES } from '../config/exit-codes.js';
import { openControl, type RunControl } from '../control/open-control.js';
import { createLauncher, type WorkerLauncher } from '../fleet/launcher.js';
import type { HarnessDeps, HarnessResult } from './harness-io.js';
import { checkDriver } from './check-driver.js';
import type { CheckedDriver } from './context.js';
import { checkRedisPermissions } from './preflight.js';
import { provideRedis, type RedisTarget } from './redis-target.js';
import { messageOf } from './run-outcome.js';

export type OpenedRun =
  | { ok: true; redis: RedisTarget; launcher: WorkerLauncher; driver: CheckedDriver; control: RunControl | undefined }
  | { ok: false; result: HarnessResult };

/** The Redis and the launcher, or the result of a run that could not start (whatever was opened is closed again). */
export async function openRun(options: HarnessOptions, deps: HarnessDeps, namespace: string): Promise<OpenedRun> {
  const { logger } = deps;
  let redis: RedisTarget;
  try {
    // At least once through a Redis restart needs the stream to survive it: the private server persists (AOF).
    redis = await provideRedis(options.redisUrl, logger, {
      caFile: options.redisCaFile,
      bind: options.redisBind,
      topology: options.topology,
      appendOnly: options.delivery === 'at-least-once',
    });
  } catch (error) {
    return { ok: false, result: { exitCode: EXIT_CODES.runFailed, error: messageOf(error), secrets: [] } };
  }
  deps.secrets?.add(redis.secrets);
  const failed = async (error: unknown): Promise<OpenedRun> => {
    await redis.stop().catch(() => undefined);
    return { ok: false, result: { exitCode: EXIT_CODES.runFailed, error: messageOf(error), secrets: redis.secrets } };
  };
  if (!redis.info.private) {
    // A user's Redis: prove its user may do what every worker will before forking any (the private one is ours).
    try {
      await checkRedisPermissions(redis, namespace, options.readyTimeoutMs, options.delivery);
    } catch (error) {
      return failed(error);
    }
  }
  let driver: CheckedDriver;
  try {
    // A module that lacks a method, or a fault the driver cannot take, is refused before any worker starts.
    driver = await checkDriver(options, { url: redis.url, tls: redis.tls }, namespace);
  } catch (error) {
    return failed(error);
  }
  let launcher: WorkerLauncher;
  try {
    launcher = await createLauncher(options, {
      logger,
      logLevel: options.logLevel,
      entry: deps.workerEntry,
      ...(deps.workerTimeOffsetsS === undefined ? {} : { timeOffsetsS: deps.workerTimeOffsetsS }),
    });
  } catch (error) {
    return failed(error);
  }
  try {
    // Last, once the run can start: remote workers may connect from the moment it listens.
    const control = await openControl(options, {
      logger,
      env: deps.env ?? process.env,
      announce: (line) => deps.progressStream.write(`${line}\n`),
      ...(deps.secrets === undefined ? {} : { secrets: deps.secrets }),
    });
    return { ok: true, redis, launcher, driver, control };
  } catch (error) {
    await launcher.close().catch(() => undefined);
    return failed(error);
  }
}
