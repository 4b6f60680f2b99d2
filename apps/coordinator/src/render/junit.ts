// The report as JUnit XML (--junit): one testcase per threshold and per fault, so CI systems show which held.
import junitModule, { type Builder, type TestCase } from 'junit-report-builder';
import { formatDurationMs } from '../config/duration.js';
import type { FaultRecord, Report } from '../model/report.js';
import { formatActual } from './thresholds-section.js';

/**
 * The package is CommonJS whose `module.exports` is the builder, while its typings declare an ES default export:
 * under NodeNext the default import is `module.exports` at run time and a namespace to the compiler.
 */
const junit = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as unknown as Builder;

/** What the JUnit file reads of a report: every run report schema (2 and 3) has it. */
export type JunitInput = Pick<Report, 'run' | 'outcome' | 'thresholds' | 'faults'>;

/**
 * One testsuite for the run: its thresholds (a failed one is a failure carrying the actual value, one with no data an
 * error) and its faults (a fault that failed to inject is an error, one not reached skipped, one not recovered from or
 * with losses Redis does not allow a failure). The run's settings are the suite's properties.
 */
export function renderJunit(report: JunitInput): string {
  const builder = junit.newBuilder().name('evbridge harness');
  const { run } = report;
  const suite = builder
    .testSuite()
    .name(`evbridge run ${run.id} (${run.driver.name}, ${run.procs} procs)`)
    .timestamp(new Date(run.startedAt))
    .time(run.durationMs / 1000);
  for (const [name, value] of [
    ['driver', run.driver.name],
    ['mode', run.mode],
    ['procs', String(run.procs)],
    ['rateEventsPerSec', String(run.rateEventsPerSec)],
    ['durationMs', String(run.durationMs)],
    ['payloadBytes', String(run.payloadBytes)],
    ['pacer', run.pacer],
    ['outcome', report.outcome],
    ['nodeVersion', run.nodeVersion],
    ['redisVersion', run.redis.version],
  ] as const) {
    suite.property(name, value);
  }
  for (const threshold of report.thresholds) {
    const testCase = suite.testCase().className('evbridge.thresholds').name(threshold.expression);
    if (threshold.actual === null) testCase.error(`${threshold.expression}: no data to judge it`, 'no-data');
    else if (!threshold.passed) {
      testCase.failure(
        `${threshold.expression}: actual ${formatActual(threshold.expression, threshold.actual)}`,
        'threshold',
      );
    }
  }
  for (const fault of report.faults ?? []) faultCase(suite.testCase(), fault);
  return builder.build();
}

function faultCase(testCase: TestCase, fault: FaultRecord): void {
  const name = `${fault.kind}@${formatDurationMs(fault.atMs)}${fault.durationMs > 0 ? `:${formatDurationMs(fault.durationMs)}` : ''}`;
  testCase.className('evbridge.faults').name(name);
  if (fault.recoveryMs !== null) testCase.time(fault.recoveryMs / 1000);
  if (fault.status === 'not-reached') {
    testCase.skipped();
    return;
  }
  if (fault.status === 'failed') {
    testCase.error(`${name} could not be injected: ${fault.error ?? 'no reason given'}`, 'injection');
    return;
  }
  if (!fault.recovered) testCase.failure(`${name}: never recovered before the run ended`, 'recovery');
  else if (!fault.verdict.allowed) testCase.failure(`${name}: ${fault.verdict.explanation}`, 'semantics');
  if (fault.detail !== null) testCase.standardOutput(fault.detail);
}
