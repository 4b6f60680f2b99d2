#!/usr/bin/env node
// `pnpm harness`: parse options, run, print the report, write the JSON, exit with the verdict.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EXIT_CODES } from './cli/exit-codes.js';
import { parseCliArgs } from './cli/options.js';
import { createLogger } from './logger.js';
import { maskArgvSecrets } from './cli/mask-argv.js';
import { urlSecrets } from './run/redis-target.js';
import { SecretRegistry } from './secret-registry.js';
import { renderReport } from './render/report.js';
import { runHarness } from './run/run-harness.js';
import { runFindMaxCommand } from './find-max/command.js';

const parsed = parseCliArgs(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  process.stdout.write(`${parsed.text}\n`);
  process.exit(EXIT_CODES.passed);
}
if (parsed.kind === 'error') {
  process.stderr.write(`evbridge harness: ${parsed.message}\n`);
  process.exit(EXIT_CODES.runFailed);
}
const { options } = parsed;
// Every secret is registered as soon as it is known; the logger scrubs each line of them (worker lines included).
const secrets = new SecretRegistry();
if (options.redisUrl !== undefined) secrets.add(urlSecrets(options.redisUrl));
const logger = createLogger(options.logLevel, process.stderr, secrets);
if (maskArgvSecrets((text) => secrets.scrub(text))) {
  logger.warn(
    '--redis carries a password: it is masked in this process title from now on, but other users of this host could see it in the process list (ps), and your shell history keeps it; pass the URL in REDIS_URL instead',
  );
}
const interrupt = new AbortController();
let signals = 0;
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    signals += 1;
    if (signals === 1) {
      logger.warn(`${name}: stopping the run, writing the partial report (send again to force)`);
      interrupt.abort(name);
    } else {
      logger.error(`${name} again: exiting now`);
      process.exit(name === 'SIGTERM' ? EXIT_CODES.interruptedBySigterm : EXIT_CODES.interruptedBySigint);
    }
  });
}

if (options.findMax !== undefined) {
  const io = { logger, signal: interrupt.signal, progressStream: process.stderr, out: process.stdout, err: process.stderr, secrets };
  const exitCode = await runFindMaxCommand(options, options.findMax, io);
  logger.flush?.();
  // stdout/stderr and the logger write synchronously here; exit now rather than run the single-run path below.
  process.exit(exitCode);
}

const result = await runHarness(options, { logger, signal: interrupt.signal, progressStream: process.stderr, secrets });
secrets.add(result.secrets);
const scrub = (text: string): string => secrets.scrub(text);
if (result.report) {
  process.stdout.write(`${scrub(renderReport(result.report, { color: process.stdout.isTTY }))}\n`);
  if (options.jsonPath) {
    await mkdir(dirname(options.jsonPath), { recursive: true });
    await writeFile(options.jsonPath, `${scrub(JSON.stringify(result.report, null, 2))}\n`);
    logger.info(`report written to ${options.jsonPath}`);
  }
}
if (result.error) process.stderr.write(`evbridge harness: ${scrub(result.error)}\n`);
logger.flush?.();
process.exitCode = result.exitCode;
// Everything is closed by now; if a stray handle would keep the process alive, do not hang CI over it.
setTimeout(() => process.exit(result.exitCode), 2000).unref();
