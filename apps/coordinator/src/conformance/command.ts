// `pnpm harness --driver X --conformance`: the driver conformance kit against the run's Redis (the private
// redis-server unless --redis names one), its verdict printed; exit 0 when every property holds, 1 when one fails.
import { writeFile } from 'node:fs/promises';
import { checkDriverDefinition, DriverValidationError, loadDriverModule } from '@evbridge/driver';
import { renderConformance, runConformance } from '@evbridge/driver/conformance';
import { driverUrlFor } from '@evbridge/drivers';
import type { Logger } from 'pino';
import { EXIT_CODES } from '../config/exit-codes.js';
import type { HarnessOptions } from '../config/harness-options.js';
import type { SecretRegistry } from '../log/secret-registry.js';
import { provideRedis, type RedisTarget } from '../run/redis-target.js';

export interface ConformanceIo {
  logger: Logger;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  secrets: Pick<SecretRegistry, 'add' | 'scrub'>;
}

export async function runConformanceCommand(options: HarnessOptions, io: ConformanceIo): Promise<number> {
  const moduleUrl = driverUrlFor(options.driver);
  const fail = (message: string): number => {
    io.err.write(`evbridge harness: ${io.secrets.scrub(message)}\n`);
    return EXIT_CODES.runFailed;
  };
  let redis: RedisTarget;
  try {
    redis = await provideRedis(options.redisUrl, io.logger, {
      caFile: options.redisCaFile,
      topology: options.topology,
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  io.secrets.add(redis.secrets);
  try {
    const definition = await loadDriverModule(moduleUrl, options.driver);
    await checkDriverDefinition(
      definition,
      { redisUrl: redis.url, redisTls: redis.tls, namespace: 'conformance' },
      options.driver,
    );
    if (!redis.info.private && !definition.capabilities.namedConnections) {
      return fail(
        `driver ${definition.name} names no connections, so the kit would CLIENT KILL every pub/sub client of ${redis.info.url}: drop --redis to check it on a private redis-server`,
      );
    }
    const result = await runConformance({
      moduleUrl,
      redisUrl: redis.url,
      redisTls: redis.tls,
      instances: options.procs,
    });
    io.out.write(io.secrets.scrub(renderConformance(result)));
    if (options.jsonPath) await writeFile(options.jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    return result.passed ? EXIT_CODES.passed : EXIT_CODES.thresholdFailed;
  } catch (error) {
    if (error instanceof DriverValidationError) return fail(error.message);
    throw error;
  } finally {
    await redis.stop().catch(() => undefined);
  }
}
