// Loads a driver module by URL and checks it, before anything connects: the definition, then one instance made and
// closed unconnected, so a missing method is named before a single worker starts.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DriverContext, DriverDefinition, DriverSink } from './driver.js';
import { DriverValidationError, assertDriver, definitionFromModule } from './validate.js';

/** A file path (relative to `cwd`) or a URL as a module URL. */
export function driverModuleUrl(pathOrUrl: string, cwd = process.cwd()): string {
  if (/^(file|data):/.test(pathOrUrl)) return pathOrUrl;
  return pathToFileURL(isAbsolute(pathOrUrl) ? pathOrUrl : resolve(cwd, pathOrUrl)).href;
}

/** Imports a driver module and returns its definition; the import's own failure is kept as `cause`. */
export async function loadDriverModule(moduleUrl: string, where = moduleUrl): Promise<DriverDefinition> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DriverValidationError(where, [`it could not be imported: ${reason}`], { cause: error });
  }
  return definitionFromModule(namespace, where);
}

const quietSink: DriverSink = { onEvent: () => {}, onSelfEcho: () => {}, onState: () => {} };
const quietLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Makes one instance with `context` (never connected), checks it has every member the API requires, and closes it.
 * Throws DriverValidationError naming each missing member.
 */
export async function checkDriverDefinition(
  definition: DriverDefinition,
  context: Pick<DriverContext, 'redisUrl' | 'redisTls' | 'namespace'>,
  where: string,
): Promise<void> {
  let driver: unknown;
  try {
    driver = definition.create({ ...context, instanceId: undefined, sink: quietSink, logger: quietLogger });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DriverValidationError(where, [`create() threw: ${reason}`], { cause: error });
  }
  assertDriver(driver, definition, where);
  await driver.close();
}
