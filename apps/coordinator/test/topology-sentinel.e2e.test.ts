// --topology=sentinel end to end: the built harness starts a private Sentinel group (master, replica, three sentinels),
// 3 workers follow the master through kill-master and failover, the run passes its thresholds (recovery<5s by
// default, losses only inside the fault window, as Redis allows), and every process it started is gone after.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { isAlive, isProgressLine, parseLogLines, startHarness, watchLog } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-topology-sentinel-');
const BASE = ['--topology=sentinel', '--procs=3', '--rate=300', '--duration=7s', '--warmup=1s', '--drain-timeout=3s'];

async function runSentinel(name: string, fault: string) {
  const jsonPath = join(tempDir(), `${name}.json`);
  const result = await startHarness([...BASE, `--fault=${fault}`, `--json=${jsonPath}`]);
  const lines = parseLogLines(result.stderr);
  const workerPids = (lines.find((line) => Array.isArray(line.pids))?.pids ?? []) as number[];
  const group = lines.find((line) => line.msg === 'private Sentinel group started');
  const groupPids = (group?.redisPids ?? []) as number[];
  const revivedPids = lines
    .filter((line) => line.msg === 'private Sentinel server restarted as a replica')
    .map((line) => line.redisPid as number);
  expect(workerPids, result.stderr).toHaveLength(3);
  expect(groupPids).toHaveLength(5);
  for (const pid of [...workerPids, ...groupPids, ...revivedPids]) {
    expect(isAlive(pid), `pid ${pid} outlived the run`).toBe(false);
  }
  const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
  expect(report.faults, result.stderr).toHaveLength(1);
  return { result, report, fault: report.faults![0]!, revivedPids };
}

/** Passed, on the private group, with the default thresholds; the fault noticed by all, recovered, losses allowed. */
function expectSentinelPass({ result, report, fault }: Awaited<ReturnType<typeof runSentinel>>): void {
  expect(result.exitCode, result.stderr).toBe(0);
  expect(report.run.redis).toMatchObject({ private: true, topology: 'sentinel' });
  expect(report.run.redis.url).toMatch(/^redis\+sentinel:\/\/(127\.0\.0\.1:\d+,?){3}\/evbridge$/);
  expect(report.thresholds.map((threshold) => [threshold.expression, threshold.passed])).toEqual([
    ['selfReceived==0', true],
    ['lostOutsideFaults==0', true],
    ['unpublishedOutsideFaults==0', true],
    ['recovery<5s', true],
  ]);
  expect(fault.status, fault.error ?? '').toBe('injected');
  expect(fault.recovered).toBe(true);
  expect(fault.verdict.allowed, fault.verdict.explanation).toBe(true);
  expect(fault.noticed.map((notice) => notice.worker).sort()).toEqual([0, 1, 2]);
  expect(report.totals.lostOutsideFaults).toBe(0);
  expect(fault.lostRanges.reduce((sum, range) => sum + range.count, 0)).toBe(fault.lost);
  expect(result.stderr).not.toMatch(/redis\+sentinel:\/\/:[0-9a-f]{48}@/);
}

describe('--topology=sentinel', () => {
  it('kill-master: SIGKILL the master; the sentinels promote the replica; every worker follows within 5 s', async () => {
    const run = await runSentinel('kill-master', 'kill-master@2s');
    expectSentinelPass(run);
    expect(run.fault.detail).toMatch(
      /^master 127\.0\.0\.1:\d+ \(pid \d+\) killed by SIGKILL; the sentinels promoted 127\.0\.0\.1:\d+ \d+ ms later \(down-after-milliseconds 1000\); the old master restarted as its replica \(pid \d+\)$/,
    );
    expect(run.revivedPids).toHaveLength(1);
    // Sentinel waits down-after-milliseconds before it even thinks the master down: no recovery can be faster.
    expect(run.fault.recoveryMs).toBeGreaterThanOrEqual(1_000);
  }, 90_000);

  it('failover: SENTINEL FAILOVER switches master and replica; every worker follows', async () => {
    const run = await runSentinel('failover', 'failover@2s');
    expectSentinelPass(run);
    expect(run.fault.detail).toMatch(
      /^SENTINEL FAILOVER: master 127\.0\.0\.1:(\d+) -> 127\.0\.0\.1:(?!\1)\d+ in \d+ ms$/,
    );
  }, 90_000);

  it.each(['SIGINT', 'SIGKILL'] as const)(
    'when the coordinator gets %s mid-run, every server and sentinel of the group goes too',
    async (signal) => {
      const run = startHarness(['--topology=sentinel', '--procs=2', '--duration=30s', '--warmup=0s', '--rate=100']);
      const log = watchLog(run);
      const group = await log.until((line) => line.msg === 'private Sentinel group started');
      const pids = [...(group.redisPids as number[]), ...(await log.until((line) => Array.isArray(line.pids))).pids!];
      await log.until(isProgressLine);
      run.kill(signal);
      await run;
      // SIGINT: the run's own cleanup; SIGKILL: the parent-death signal each process was started with.
      const deadline = Date.now() + 3000;
      const survivors = () => pids.filter(isAlive);
      while (survivors().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(survivors()).toEqual([]);
    },
    60_000,
  );
});
