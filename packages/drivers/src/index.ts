// @evbridge/drivers: the harness's built-in drivers by name, each its own module (loaded only when chosen).
import { type DriverDefinition, driverModuleUrl, loadDriverModule } from '@evbridge/driver';

export const BUILTIN_DRIVERS = [
  'evbridge',
  'evbridge-shared',
  'evbridge-coalesced',
  'raw',
  'node-redis',
  'socketio',
  'socketio-streams',
] as const;
export type BuiltinDriverName = (typeof BUILTIN_DRIVERS)[number];

export const isBuiltinDriver = (name: string): name is BuiltinDriverName =>
  (BUILTIN_DRIVERS as readonly string[]).includes(name);

/** The module URL of a built-in driver. */
export const builtinDriverUrl = (name: BuiltinDriverName): string => new URL(`./${name}.js`, import.meta.url).href;

/** A `--driver` value as a module URL: a built-in's name, or a path (relative to `cwd`) or URL of a user's module. */
export function driverUrlFor(nameOrPath: string, cwd = process.cwd()): string {
  return isBuiltinDriver(nameOrPath) ? builtinDriverUrl(nameOrPath) : driverModuleUrl(nameOrPath, cwd);
}

/** Whether a `--driver` value names a module rather than a built-in: it has a path separator or a .js/.mjs ending. */
export const looksLikePath = (value: string): boolean => /[/\\]|\.[cm]?js$/.test(value) || value.startsWith('file:');

/** Loads a built-in by name or a user's module by path or URL. */
export function loadDriver(nameOrPath: string, cwd = process.cwd()): Promise<DriverDefinition> {
  return loadDriverModule(driverUrlFor(nameOrPath, cwd), nameOrPath);
}
