// A whole run, phase by phase: Redis, fleet, handshake, clock, probe, measure, finish, report; cleanup on every path.
import { randomBytes } from 'node:crypto';
import type { HarnessOptions } from '../config/harness-options.js';
import { buildReport } from '../report/build-report.js';
import { drivePhases, type RunState } from './drive-phases.js';
import type { HarnessDeps, HarnessResult } from './harness-io.js';
import { openRun } from './open-run.js';
import { RunOutcome } from './run-outcome.js';
import { release, windDown } from './wind-down.js';

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function runHarness(options: HarnessOptions, deps: HarnessDeps): Promise<HarnessResult> {
  const runId = newRunId();
  const namespace = `evbridge:run:${runId}`;
  const opened = await openRun(options, deps, namespace);
  if (!opened.ok) return opened.result;
  const { redis, launcher, driver, control } = opened;
  const outcome = new RunOutcome();
  const run: RunState = { phase: 'spawn', workers: [] };
  try {
    await drivePhases(run, { runId, options, deps, namespace, redis, launcher, driver, control });
  } catch (error) {
    outcome.noteStop(error, run.phase, deps.logger);
  }
  let measuredMs = 0;
  try {
    measuredMs = await windDown(run, outcome, options);
  } finally {
    await release(run, outcome, { launcher, redis, control, logger: deps.logger });
  }
  const secrets = redis.secrets;
  const { context, times, progress } = run;
  if (!context || !times || !progress) {
    const error = outcome.problems.map((problem) => problem.message).join('; ') || 'the run ended before measuring';
    return { exitCode: outcome.exitCode(undefined), error, secrets };
  }
  const report = buildReport({
    options,
    driver: driver.definition,
    runId,
    namespace,
    redis: redis.info,
    startedAt: times.startedAt,
    records: context.records,
    exits: run.workers.map((worker) => worker.exit),
    failedWorkers: outcome.failedWorkers,
    progressLatencyByWorker: progress.soFarByWorker,
    series: run.series,
    outcome: outcome.outcome,
    problems: outcome.problems,
    measuredMs,
    faultRun: run.faults?.report(),
    ...(control === undefined ? {} : { control: control.server.info() }),
  });
  const error = outcome.outcome === 'failed' ? outcome.problems[0]?.message : undefined;
  return { exitCode: outcome.exitCode(report), report, secrets, error };
}
