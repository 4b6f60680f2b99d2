#!/usr/bin/env node
// `pnpm bench`: parse options, run the bench on one private Redis, print, write JSON, append BENCHMARKS.md (and a
// drivers bench's table to README.md).
import { abortOnSignals } from '../command-line/interrupt.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactSecrets } from '@evbridge/bridge';
import { EXIT_CODES } from '../config/exit-codes.js';
import { findMaxRate } from '../find-max/find-max.js';
import { createLogger } from '../log/logger.js';
import { runHarness } from '../run/run-harness.js';
import { commandLine } from './bench-document.js';
import { appendBenchmarksSection, renderBenchmarksSection } from './benchmarks-md.js';
import { BENCH_DEFAULTS } from '../config/bench-defaults.js';
import { parseBenchArgs } from './options.js';
import { renderBench } from './render.js';
import { updateReadme } from './readme-block.js';
import { runBench } from './run-bench.js';

/** apps/coordinator/dist/bench/main.js -> the repository root. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const argv = process.argv.slice(2);
const parsed = parseBenchArgs(argv);
if (parsed.kind === 'help') {
  process.stdout.write(`${parsed.text}\n`);
  process.exit(EXIT_CODES.passed);
}
if (parsed.kind === 'error') {
  process.stderr.write(`evbridge bench: ${parsed.message}\n`);
  process.exit(EXIT_CODES.runFailed);
}
const { options } = parsed;
const logger = createLogger(options.logLevel);
const interruptSignal = abortOnSignals(
  logger,
  'stopping the bench after the current run; the runs so far go to the JSON',
);

const outcome = await runBench(options, {
  logger,
  signal: interruptSignal,
  command: commandLine(argv, process.env),
  repoRoot: REPO_ROOT,
  runHarness,
  findMaxRate,
});
const scrub = (text: string): string => redactSecrets(text, outcome.secrets);
if (outcome.doc) {
  const doc = outcome.doc;
  process.stdout.write(`${scrub(renderBench(doc))}\n`);
  const stamp = doc.startedAt.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const jsonPath =
    options.jsonPath === undefined
      ? join(REPO_ROOT, BENCH_DEFAULTS.jsonDir, `bench-${stamp}.json`)
      : resolve(options.jsonPath);
  await mkdir(dirname(jsonPath), { recursive: true });
  await writeFile(jsonPath, `${scrub(JSON.stringify(doc, null, 2))}\n`);
  logger.info({ jsonPath }, `bench written to ${jsonPath}`);
  if (options.append && doc.complete) {
    const mdPath = join(REPO_ROOT, BENCH_DEFAULTS.benchmarksFile);
    await appendBenchmarksSection(mdPath, scrub(renderBenchmarksSection(doc)));
    logger.info({ mdPath }, `section appended to ${mdPath}`);
    const readmePath = join(REPO_ROOT, 'README.md');
    if (await updateReadme(readmePath, doc)) logger.info({ readmePath }, `drivers table replaced in ${readmePath}`);
  } else if (options.append) {
    logger.warn('BENCHMARKS.md left alone: the bench is incomplete');
  }
}
if (outcome.error) process.stderr.write(`evbridge bench: ${scrub(outcome.error)}\n`);
logger.flush?.();
process.exitCode = outcome.exitCode;
// Everything is closed by now; if a stray handle would keep the process alive, do not hang over it.
setTimeout(() => process.exit(outcome.exitCode), 2000).unref();
