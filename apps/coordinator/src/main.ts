#!/usr/bin/env node
// `pnpm harness`: parse options, run, print the report, write the JSON, exit with the verdict.
import { abortOnSignals } from './command-line/interrupt.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EXIT_CODES } from './config/exit-codes.js';
import { parseCliArgs } from './cli/options.js';
import { createLogger } from './log/logger.js';
import { maskArgvSecrets } from './cli/mask-argv.js';
import { urlSecrets } from './run/redis-target.js';
import { SecretRegistry } from './log/secret-registry.js';
import { renderJunit } from './render/junit.js';
import { appendStepSummary } from './markdown/step-summary.js';
import { renderSummaryMarkdown } from './markdown/summary-markdown.js';
import { renderRunHtml } from './html/render-html.js';
import { openDashboard } from './dashboard/open-dashboard.js';
import type { DashboardServer } from './dashboard/dashboard-server.js';
import { renderReport } from './render/report.js';
import { runHarness } from './run/run-harness.js';
import { runFindMaxCommand } from './find-max/command.js';
import { runCompareModes } from './compare/run-compare-modes.js';
import { COMPARED_MODES } from './compare/mode-comparison.js';
import { renderComparison } from './compare/render.js';
import { runConformanceCommand } from './conformance/command.js';

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
const interruptSignal = abortOnSignals(logger, 'stopping the run, writing the partial report');

if (options.conformance === true) {
  const exitCode = await runConformanceCommand(options, { logger, out: process.stdout, err: process.stderr, secrets });
  logger.flush?.();
  process.exit(exitCode);
}

if (options.findMax !== undefined) {
  const io = {
    logger,
    signal: interruptSignal,
    progressStream: process.stderr,
    out: process.stdout,
    err: process.stderr,
    secrets,
  };
  const exitCode = await runFindMaxCommand(options, options.findMax, io);
  logger.flush?.();
  // stdout/stderr and the logger write synchronously here; exit now rather than run the single-run path below.
  process.exit(exitCode);
}

const scrub = (text: string): string => secrets.scrub(text);
const exitCode = options.compareModes === true ? await compareModes() : await singleRun();
logger.flush?.();
process.exitCode = exitCode;
// Everything is closed by now; if a stray handle would keep the process alive, do not hang CI over it.
setTimeout(() => process.exit(exitCode), 2000).unref();

async function singleRun(): Promise<number> {
  let dashboard: DashboardServer | undefined;
  if (options.dashboardPort !== undefined) {
    try {
      dashboard = await openDashboard(options.dashboardPort, scrub);
    } catch (error) {
      process.stderr.write(`evbridge harness: ${(error as Error).message}\n`);
      return EXIT_CODES.runFailed;
    }
    process.stderr.write(`evbridge harness: dashboard at ${dashboard.url} (live while the run goes)\n`);
    logger.info({ url: dashboard.url }, 'dashboard serving');
  }
  try {
    return await runAndReport(dashboard);
  } finally {
    await dashboard?.close();
  }
}

async function runAndReport(dashboard: DashboardServer | undefined): Promise<number> {
  const result = await runHarness(options, {
    logger,
    signal: interruptSignal,
    progressStream: process.stderr,
    secrets,
    ...(dashboard === undefined ? {} : { watcher: { measuring: (snapshot) => dashboard.watch(snapshot) } }),
  });
  secrets.add(result.secrets);
  if (result.report) {
    process.stdout.write(`${scrub(renderReport(result.report, { color: process.stdout.isTTY }))}\n`);
    if (options.jsonPath) await writeJson(options.jsonPath, JSON.stringify(result.report, null, 2));
    if (options.junitPath) await writeOutput(options.junitPath, renderJunit(result.report), 'JUnit XML');
    if (options.htmlPath) await writeOutput(options.htmlPath, renderRunHtml(result.report), 'HTML report');
    await writeSummary(renderSummaryMarkdown(result.report));
  }
  // Open pages load the final report (or keep the last second they had) before the server closes.
  await dashboard?.finish(result.report);
  if (result.error) process.stderr.write(`evbridge harness: ${scrub(result.error)}\n`);
  return result.exitCode;
}

/** --compare-modes: procs then threads; the table on stdout, both reports in the JSON, each run's error on stderr. */
async function compareModes(): Promise<number> {
  const compared = await runCompareModes(options, {
    logger,
    signal: interruptSignal,
    progressStream: process.stderr,
    secrets,
  });
  secrets.add(compared.secrets);
  process.stdout.write(`${scrub(renderComparison(compared.comparison, { color: process.stdout.isTTY }))}\n`);
  if (options.jsonPath) await writeJson(options.jsonPath, JSON.stringify(compared.comparison, null, 2));
  for (const mode of COMPARED_MODES) {
    const error = compared.comparison.runs[mode]?.error;
    if (error) process.stderr.write(`evbridge harness: ${mode} run: ${scrub(error)}\n`);
  }
  return compared.exitCode;
}

/** --summary-md's file, and $GITHUB_STEP_SUMMARY appended to (a failed append is logged: the verdict stands). */
async function writeSummary(markdown: string): Promise<void> {
  if (options.summaryMdPath) await writeOutput(options.summaryMdPath, markdown.trimEnd(), 'Markdown summary');
  if (!options.stepSummaryPath) return;
  try {
    await appendStepSummary(options.stepSummaryPath, scrub(markdown));
    logger.info(`Markdown summary appended to ${options.stepSummaryPath}`);
  } catch (error) {
    logger.error(scrub((error as Error).message));
  }
}

async function writeJson(path: string, text: string): Promise<void> {
  await writeOutput(path, text, 'report');
}

async function writeOutput(path: string, text: string, what: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${scrub(text)}\n`);
  logger.info(`${what} written to ${path}`);
}
