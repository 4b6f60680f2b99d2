// Checks a loaded module and the driver it makes against the API, naming everything that is missing at once.
import { DRIVER_API_VERSION, type Driver, type DriverCapabilities, type DriverDefinition } from './driver.js';

/** A driver module or driver that does not meet the API; `problems` lists every shortfall. */
export class DriverValidationError extends Error {
  override readonly name = 'DriverValidationError';
  constructor(
    readonly where: string,
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`driver ${where} is refused: ${problems.join('; ')} (see docs/drivers.md)`, options);
  }
}

const CAPABILITY_NAMES: readonly (keyof DriverCapabilities)[] = [
  'receiverCount',
  'ownEchoes',
  'namedConnections',
  'instanceIdOverride',
  'atLeastOnce',
  'sentinel',
  'cluster',
];

const NO_CAPABILITIES: DriverCapabilities = {
  receiverCount: false,
  ownEchoes: false,
  namedConnections: false,
  instanceIdOverride: false,
  atLeastOnce: false,
  sentinel: false,
  cluster: false,
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The definition a module exports: `export default defineDriver({...})`, a default-exported `createDriver` function,
 * or a named `createDriver` export (with optional `name`, `description`, `identityScheme`, `capabilities` and
 * `apiVersion` exports beside it). Throws DriverValidationError naming what is wrong or missing.
 */
export function definitionFromModule(namespace: Record<string, unknown>, where: string): DriverDefinition {
  const exported = namespace.default;
  if (isObject(exported) && typeof exported !== 'function') return checkDefinition(exported, where);
  const create = typeof exported === 'function' ? exported : namespace.createDriver;
  if (typeof create !== 'function') {
    throw new DriverValidationError(where, [
      'it exports neither a default driver definition nor a createDriver function',
    ]);
  }
  return checkDefinition(
    {
      apiVersion: namespace.apiVersion ?? DRIVER_API_VERSION,
      name: namespace.name ?? where.replace(/^.*\//, '').replace(/\.[cm]?js$/, ''),
      description: namespace.description ?? '(no description exported)',
      identityScheme: namespace.identityScheme ?? '(not described by the driver)',
      capabilities: namespace.capabilities ?? {},
      create: (context: unknown) => create(context),
    },
    where,
  );
}

function checkDefinition(value: Record<string, unknown>, where: string): DriverDefinition {
  const problems: string[] = [];
  if (value.apiVersion !== DRIVER_API_VERSION) {
    problems.push(`apiVersion is ${JSON.stringify(value.apiVersion)}, this harness speaks ${DRIVER_API_VERSION}`);
  }
  for (const key of ['name', 'description', 'identityScheme'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') problems.push(`${key} must be a non-empty string`);
  }
  if (typeof value.create !== 'function') problems.push('create(context) is missing');
  const given = value.capabilities ?? {};
  if (!isObject(given)) problems.push('capabilities must be an object');
  const capabilities = { ...NO_CAPABILITIES };
  if (isObject(given)) {
    for (const [key, flag] of Object.entries(given)) {
      if (!CAPABILITY_NAMES.includes(key as keyof DriverCapabilities)) {
        problems.push(`capabilities.${key} is not a capability (${CAPABILITY_NAMES.join(', ')})`);
      } else if (typeof flag !== 'boolean') problems.push(`capabilities.${key} must be true or false`);
      else capabilities[key as keyof DriverCapabilities] = flag;
    }
  }
  if (problems.length > 0) throw new DriverValidationError(where, problems);
  return { ...(value as unknown as DriverDefinition), capabilities };
}

/** What a made driver lacks, as readable phrases (empty when it has everything its definition promises). */
export function driverProblems(driver: unknown, definition: DriverDefinition): string[] {
  if (!isObject(driver)) return [`create() returned ${driver === null ? 'null' : typeof driver}, not a driver object`];
  const problems: string[] = [];
  const methods: (keyof Driver)[] = ['connect', 'publish', 'counters', 'close'];
  if (definition.capabilities.namedConnections) methods.push('connections');
  const missing = methods.filter((method) => typeof driver[method] !== 'function').map((method) => `${method}()`);
  if (missing.length > 0) problems.push(`its driver lacks ${missing.join(', ')}`);
  // A library may make its id only when connecting (socket.io's adapter uid): '' until then, checked after connect().
  if (typeof driver.instanceId !== 'string') problems.push('instanceId must be a string');
  if (typeof driver.host !== 'string') problems.push('host must be a string');
  if (!Number.isSafeInteger(driver.nextSeq) || (driver.nextSeq as number) < 0) {
    problems.push('nextSeq must be a non-negative integer');
  }
  return problems;
}

/** Throws DriverValidationError unless `driver` has every member the API and its capabilities require. */
export function assertDriver(driver: unknown, definition: DriverDefinition, where: string): asserts driver is Driver {
  const problems = driverProblems(driver, definition);
  if (problems.length > 0) throw new DriverValidationError(where, problems);
}

/** Typed identity for a definition: `export default defineDriver({...})`. */
export function defineDriver(definition: DriverDefinition): DriverDefinition {
  return definition;
}
