// End to end: the built harness CLI forks real worker processes against a private redis-server.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { isAlive, isProgressLine, parseLogLines, startHarness, watchLog } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-e2e-');

describe('pnpm harness, end to end', () => {
  it('runs 3 real processes to a clean pass and writes the JSON report', async () => {
    const jsonPath = join(tempDir(), 'r.json');
    const junitPath = join(tempDir(), 'r.xml');
    const summaryPath = join(tempDir(), 'r.md');
    // As GitHub Actions hands it over: a step's summary file, which earlier commands of the step may have written to.
    const stepSummaryPath = join(tempDir(), 'step-summary.md');
    const earlier = '# Written by an earlier command of the step\n';
    await writeFile(stepSummaryPath, earlier);
    const run = startHarness(
      [
        '--procs=3',
        '--duration=3s',
        '--warmup=1s',
        '--rate=300',
        `--json=${jsonPath}`,
        `--junit=${junitPath}`,
        `--summary-md=${summaryPath}`,
      ],
      { GITHUB_STEP_SUMMARY: stepSummaryPath },
    );
    const result = await run;
    expect(result.stderr).not.toMatch(/"level":50/);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.passed).toBe(true);
    // The JUnit file says the same: one passing testcase per threshold.
    const junit = await readFile(junitPath, 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(report.thresholds.length);
    expect(junit).toMatch(/<testsuites name="evbridge harness" tests="4" failures="0" errors="0"/);
    // The Markdown summary says the same, and the step summary gets it appended after what was there.
    const summary = await readFile(summaryPath, 'utf8');
    expect(summary).toMatch(/^## evbridge harness: PASS · complete · evbridge · 3 procs x 300\.0 events\/s · 3s\n/);
    expect(summary).toContain('| delivery==100% | 100% | PASS |');
    expect(summary).toContain('| 900 | 900 (100%) | 1,800 | 1,800 (100%) | 0 | 0 | 0 | 2 (expected 2) |');
    expect(summary).toContain('<details><summary>Instances (3)</summary>');
    expect(await readFile(stepSummaryPath, 'utf8')).toBe(`${earlier}\n${summary}`);
    expect(report.outcome).toBe('complete');
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.totals.amplification).toBe(2);
    expect(report.totals.expectedAmplification).toBe(2);
    expect(report.totals.selfReceived).toBe(0);
    // Every event the schedule put in the window is published: 3 workers x 100/s x 3 s, none lost to a late timer.
    expect(report.totals.scheduled).toBe(900);
    expect(report.totals.published).toBe(900);
    expect(report.totals.selfEchoesFiltered).toBe(report.totals.published);
    expect(report.totals.lost).toBe(0);
    expect(report.totals.redisReportedReceivers).toBe(report.totals.published * 3);
    expect(report.latencyUs.count).toBe(report.totals.delivered);
    expect(report.latencyUs.clockErrorBoundUs).toBe(0);
    expect(report.latencyUs.p50).toBeGreaterThan(0);
    expect(Number.isInteger(report.latencyUs.p50)).toBe(true);
    const pids = report.instances.map((instance) => instance.pid);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(run.pid);
    expect(new Set(report.instances.map((instance) => instance.instanceId)).size).toBe(3);
    for (const instance of report.instances) {
      expect(instance.instanceId).toContain(String(instance.pid));
      // One host, one time namespace: the coordinator's own clock, uncorrected.
      expect(instance).toMatchObject({ clock: 'shared', clockOffsetUs: 0, clockUncertaintyUs: 0 });
      expect(Math.abs(instance.clockMeasuredOffsetUs!)).toBeLessThan(5_000);
      // Stats once a second whatever the rate: at most 2 IPC messages per worker per second.
      expect(instance.ipcMessagesPerSec).toBeGreaterThan(0);
      expect(instance.ipcMessagesPerSec).toBeLessThanOrEqual(2);
      expect(instance.cpuUs).toBeGreaterThan(0);
      expect(isAlive(instance.pid)).toBe(false);
    }
    expect(report.run.redis.private).toBe(true);
    expect(report.run.redis.url).toMatch(/^redis:\/\/:\*\*\*@127\.0\.0\.1:\d+$/);
    expect(report.thresholds.map((t) => t.expression)).toEqual([
      'delivery==100%',
      'selfReceived==0',
      'amplification==2',
      'publishRatio==100%',
    ]);
    // Every scheduled event is in one bucket, and a clean run published them all.
    expect(report.totals.scheduled).toBeGreaterThan(0);
    expect(report.totals).toMatchObject({
      published: report.totals.scheduled,
      refused: 0,
      publishFailed: 0,
      publishRatio: 1,
    });
    expect(report.totals.arrivals).toBe(report.totals.delivered);
    const redisPid = parseLogLines(result.stderr).find((line) => line.msg === 'private redis-server started')?.redisPid;
    expect(redisPid).toBeTypeOf('number');
    expect(isAlive(redisPid as number)).toBe(false);
    expect(result.stdout).toContain('PASS');
    // Second by second: the warm-up and the three measured seconds, on one axis for the fleet and each instance.
    const series = report.timeSeries;
    expect(series.marks.measured).toEqual({ fromMs: 0, toMs: 3000 });
    expect(series.fleet.tMs).toEqual(expect.arrayContaining([0, 1000, 2000, 3000]));
    const measured = series.fleet.tMs.flatMap((tMs, at) => (tMs > 0 && tMs <= 3000 ? [at] : []));
    expect(measured).toHaveLength(3);
    const sum = (column: Array<number | null>, at: number[]) => at.reduce((total, i) => total + (column[i] ?? 0), 0);
    // The drivers' counters sampled each second agree with the ledgers' totals, give or take events in flight at
    // the window's two edges (counted independently: these can disagree).
    expect(Math.abs(sum(series.fleet.published, measured) - report.totals.published)).toBeLessThanOrEqual(30);
    expect(Math.abs(sum(series.fleet.delivered, measured) - report.totals.delivered)).toBeLessThanOrEqual(60);
    expect(series.fleet.lost.every((lost) => lost === null || lost === 0)).toBe(true);
    for (const instance of series.instances) {
      expect(instance.tMs).toEqual(series.fleet.tMs);
      for (const at of measured) expect(instance.latencyP99Us[at]).toBeGreaterThan(0);
    }
    // The matrix: every ordered pair delivered its sender's measured events, nothing on the diagonal.
    expect(report.matrix.delivered).toEqual([
      [null, 300, 300],
      [300, null, 300],
      [300, 300, null],
    ]);
  }, 60_000);

  it.each([
    ['raw', 'open-loop'],
    ['evbridge', 'naive-interval'],
    ['evbridge-coalesced', 'open-loop'],
    ['node-redis', 'open-loop'],
    ['socketio', 'open-loop'],
    ['socketio-streams', 'precise'],
  ])(
    '--driver=%s --pacer=%s: any pacer with any driver, a clean pass that names its driver and pacer',
    async (driver, pacer) => {
      const jsonPath = join(tempDir(), `${driver}-${pacer}.json`);
      const result = await startHarness([
        '--procs=2',
        '--duration=2s',
        '--warmup=500ms',
        '--rate=200',
        `--driver=${driver}`,
        `--pacer=${pacer}`,
        `--json=${jsonPath}`,
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
      expect(report.run).toMatchObject({ driver: { name: driver }, pacer });
      expect(report.totals.deliveryRatio).toBe(1);
      expect(report.totals.selfReceived).toBe(0);
      // Redis's own count of receivers agrees with what the instances counted (no receivers problem).
      expect(report.totals.redisReportedReceivers).toBe(report.totals.instancesCountedReceivers);
      expect(result.stdout).toMatch(new RegExp(`driver: ${driver}\\)`));
      expect(result.stdout).toMatch(new RegExp(`pacer +${pacer} \\(`));
    },
    60_000,
  );

  it('rejects an invalid option with one line and exit code 2', async () => {
    const result = await startHarness(['--procs=zero']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--procs/);
    const unknown = await startHarness(['--frobnicate']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/--frobnicate/);
  });

  it('fails with exit code 2 naming a worker that dies mid-run, and leaves no process behind', async () => {
    const jsonPath = join(tempDir(), 'crash.json');
    const run = startHarness(['--procs=3', '--duration=20s', '--warmup=0s', '--rate=300', `--json=${jsonPath}`]);
    const log = watchLog(run);
    const workerPids = (await log.until((line) => Array.isArray(line.pids))).pids!;
    await log.until(isProgressLine);
    const victim = workerPids[1]!;
    process.kill(victim, 'SIGKILL');
    const result = await run;
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`worker 1 \\(pid ${victim}\\) was killed by SIGKILL`));
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.passed).toBe(false);
    expect(report.outcome).toBe('failed');
    expect(report.instances[1]!.exit).toMatchObject({ signal: 'SIGKILL' });
    expect(report.problems.some((problem) => problem.worker === 1 && problem.pid === victim)).toBe(true);
    for (const pid of workerPids) expect(isAlive(pid)).toBe(false);
    const redisPid = log.lines().find((line) => line.msg === 'private redis-server started')?.redisPid;
    expect(isAlive(redisPid as number)).toBe(false);
  }, 60_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'on %s stops the run, writes the partial report, exits %i and leaves no process behind',
    async (signal, code) => {
      const jsonPath = join(tempDir(), `interrupted-${signal}.json`);
      const run = startHarness(['--procs=3', '--duration=30s', '--warmup=0s', '--rate=300', `--json=${jsonPath}`]);
      const log = watchLog(run);
      const workerPids = (await log.until((line) => Array.isArray(line.pids))).pids!;
      const redisPid = (await log.until((line) => line.msg === 'private redis-server started')).redisPid as number;
      await log.until(isProgressLine);
      const signalledAt = Date.now();
      run.kill(signal);
      const result = await run;
      expect(Date.now() - signalledAt).toBeLessThan(5000);
      expect(result.exitCode).toBe(code);
      expect(result.stdout).toContain('interrupted');
      const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
      expect(report.outcome).toBe('interrupted');
      expect(report.passed).toBe(false);
      expect(report.totals.published).toBeGreaterThan(0);
      expect(report.totals.lost).toBe(0);
      expect(report.totals.deliveryRatio).toBe(1);
      for (const pid of [...workerPids, redisPid]) expect(isAlive(pid)).toBe(false);
    },
    60_000,
  );

  it('when the coordinator is SIGKILLed, its workers and private Redis still go (IPC disconnect, parent-death signal)', async () => {
    const run = startHarness(['--procs=2', '--duration=30s', '--warmup=0s', '--rate=100']);
    const log = watchLog(run);
    const workerPids = (await log.until((line) => Array.isArray(line.pids))).pids!;
    const redisPid = (await log.until((line) => line.msg === 'private redis-server started')).redisPid as number;
    await log.until(isProgressLine);
    run.kill('SIGKILL');
    await run;
    const deadline = Date.now() + 3000;
    const survivors = () => [...workerPids, redisPid].filter(isAlive);
    while (survivors().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(survivors()).toEqual([]);
  }, 60_000);
});
