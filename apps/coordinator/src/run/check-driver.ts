// Before any worker starts: load the driver --driver names, check it against the API, and refuse what the run asks
// of it that it cannot do (a fault that needs named connections, --identity=pid), each with the reason.
import { type DriverDefinition, DriverValidationError, checkDriverDefinition } from '@evbridge/driver';
import { driverUrlFor, isBuiltinDriver, loadDriver } from '@evbridge/drivers';
import type { HarnessOptions } from '../config/harness-options.js';
import { FAULT_KINDS } from '../model/fault-kinds.js';
import type { RedisTls } from '../redis/tls.js';
import { type CheckedDriver, RunSetupError } from './context.js';

/** Loads and checks the run's driver; throws RunSetupError with one line naming what is wrong and the fix. */
export async function checkDriver(
  options: Pick<HarnessOptions, 'driver' | 'identity' | 'faults' | 'delivery' | 'topology'>,
  redis: { url: string; tls: RedisTls | undefined },
  namespace: string,
): Promise<CheckedDriver> {
  const builtin = isBuiltinDriver(options.driver);
  const spec = builtin ? options.driver : driverUrlFor(options.driver);
  let definition: DriverDefinition;
  try {
    definition = await loadDriver(options.driver);
    await checkDriverDefinition(definition, { redisUrl: redis.url, redisTls: redis.tls, namespace }, options.driver);
  } catch (error) {
    if (error instanceof DriverValidationError) throw new RunSetupError(error.message, { cause: error });
    throw error;
  }
  const refusals = driverRefusals(definition, options);
  if (refusals.length > 0) {
    throw new RunSetupError(`driver ${definition.name} cannot do what this run asks: ${refusals.join('; ')}`);
  }
  return { spec, builtin, definition };
}

/** What the run asks that the driver's capabilities rule out, one phrase each. */
export function driverRefusals(
  definition: Pick<DriverDefinition, 'capabilities'>,
  options: Pick<HarnessOptions, 'identity' | 'faults' | 'delivery' | 'topology'>,
): string[] {
  const { capabilities } = definition;
  const refusals: string[] = [];
  if (options.topology === 'sentinel' && !capabilities.sentinel) {
    refusals.push(
      'a Sentinel group reaches the workers as a redis+sentinel:// URL, which it cannot follow (capabilities.sentinel): use --driver=evbridge or drop --topology=sentinel',
    );
  }
  if (options.topology === 'cluster' && !capabilities.cluster) {
    refusals.push(
      'a Cluster reaches the workers as a redis+cluster:// URL, which it cannot use (capabilities.cluster): use --driver=evbridge or drop --topology=cluster',
    );
  }
  if (options.identity === 'pid' && !capabilities.instanceIdOverride) {
    refusals.push('--identity=pid needs a driver that takes an instance id (capabilities.instanceIdOverride)');
  }
  if (options.delivery === 'at-least-once' && capabilities.atLeastOnce !== true) {
    refusals.push(
      '--delivery=at-least-once needs a driver with a durable mode (capabilities.atLeastOnce): use --driver=evbridge or evbridge-coalesced, or drop --delivery',
    );
  }
  for (const fault of options.faults ?? []) {
    if (FAULT_KINDS[fault.kind].needsNamedConnections === true && !capabilities.namedConnections) {
      refusals.push(
        `--fault ${fault.kind} finds connections by name, and the driver names none (capabilities.namedConnections)`,
      );
    }
  }
  return refusals;
}
