// Makes the driver a worker measures through: a built-in by name or a user's module by URL, loaded and checked.
import { type Driver, type DriverSink, assertDriver } from '@evbridge/driver';
import { loadDriver } from '@evbridge/drivers';
import type { CoordinatorMessageOf } from '@evbridge/protocol';
import type { Logger } from 'pino';

/** Makes the driver a session measures through (test fixtures wrap the default to make it misbehave). */
export type CreateDriver = (
  config: CoordinatorMessageOf<'configure'>,
  sink: DriverSink,
  logger: Logger,
) => Promise<Driver>;

/** The driver `--driver` chose. The coordinator checked the module before any worker started; this checks again. */
export const createDriver: CreateDriver = async (config, sink, logger) => {
  const definition = await loadDriver(config.driver);
  if (config.identity === 'pid' && !definition.capabilities.instanceIdOverride) {
    throw new Error(`driver ${definition.name} cannot take an instance id: --identity=pid needs one that can`);
  }
  if (config.delivery === 'at-least-once' && definition.capabilities.atLeastOnce !== true) {
    throw new Error(`driver ${definition.name} has no at-least-once mode: --delivery=at-least-once needs one that has`);
  }
  const driver = definition.create({
    redisUrl: config.redisUrl,
    redisTls: config.redisTls,
    namespace: config.namespace,
    // The original design's id, shared by threads and 1 in every container: kept to show what it does.
    instanceId: config.identity === 'pid' ? String(process.pid) : undefined,
    ...(config.delivery === undefined ? {} : { delivery: config.delivery }),
    sink,
    logger,
  });
  assertDriver(driver, definition, config.driver);
  return driver;
};
