// The harness command line parsed in-process, for option tests: the options it yields, or its one-line error.
import { expect } from 'vitest';
import type { HarnessOptions } from '../../src/config/harness-options.js';
import { parseCliArgs } from '../../src/cli/options.js';

/** The options `argv` yields; throws (failing the test) when it yields help or an error instead. */
export function parsedOptions(argv: string[], env: NodeJS.ProcessEnv = {}): HarnessOptions {
  const result = parseCliArgs(argv, env);
  if (result.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(result)}`);
  return result.options;
}

/** The error `argv` yields, checked to be one line; throws when it parses instead. */
export function parseError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = parseCliArgs(argv, env);
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  expect(result.message).not.toContain('\n');
  return result.message;
}
