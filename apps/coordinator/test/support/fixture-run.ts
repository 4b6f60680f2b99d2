// Runs the harness inside the test process with every worker started from a fixture entry (a worker that crashes,
// hangs, duplicates or hears itself), against the suite's shared private Redis.
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { inject } from 'vitest';
import { parseCliArgs } from '../../src/cli/options.js';
import type { HarnessDeps } from '../../src/run/harness-io.js';
import { runHarness } from '../../src/run/run-harness.js';

/** The absolute path of `test/fixtures/<name>`. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

const quiet = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), {
  isTTY: false,
}) as unknown as NodeJS.WriteStream;

/** The harness's result for `args` (plus --redis), every worker forked from `entry`. */
export async function runWithWorkerEntry(
  entry: string,
  args: readonly string[],
  logger: Logger = pino({ level: 'silent' }),
) {
  return runInProcess(args, { logger, workerEntry: entry });
}

/** The harness's result for `args` (plus --redis), run in this process with `deps` (test-only ones included). */
export async function runInProcess(args: readonly string[], deps: Partial<HarnessDeps> = {}) {
  const parsed = parseCliArgs([`--redis=${inject('redisUrl')}`, ...args], {});
  if (parsed.kind !== 'run') throw new Error(`bad test options: ${JSON.stringify(parsed)}`);
  return runHarness(parsed.options, {
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    progressStream: quiet,
    ...deps,
  });
}
