// End to end: a worker stopped with SIGSTOP mid-run is found by its missing stats, named with its pid, killed; the
// run ends with exit code 2 and a partial report that keeps the other workers' data; no process is left behind.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../src/redis/private-server.js';
import type { Report } from '../src/model/report.js';
import { isAlive, isProgressLine, startHarness, watchLog } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-hung-');

const STATS_TIMEOUT_MS = 3000;
/** Detection, then finish (1 s stop, 300 ms drain), shutdown and the report: "a few seconds" on a loaded 2-core host. */
const SLACK_MS = 10_000;

describe('a hung worker', () => {
  it('stopped with SIGSTOP: named with its pid within --stats-timeout, SIGKILLed, exit 2, the others kept', async () => {
    const jsonPath = join(tempDir(), 'hung.json');
    const run = startHarness([
      '--procs=3',
      '--duration=60s',
      '--warmup=0s',
      '--rate=300',
      `--stats-timeout=${STATS_TIMEOUT_MS}ms`,
      `--json=${jsonPath}`,
    ]);
    const log = watchLog(run);
    let victim: number | undefined;
    try {
      const workerPids = (await log.until((line) => Array.isArray(line.pids))).pids!;
      const redisPid = (await log.until((line) => line.msg === 'private redis-server started')).redisPid as number;
      await log.until(isProgressLine);
      victim = workerPids[1]!;
      process.kill(victim, 'SIGSTOP');
      const stoppedAt = Date.now();
      const result = await run;
      const elapsedMs = Date.now() - stoppedAt;

      expect(result.exitCode, result.stderr).toBe(2);
      expect(elapsedMs).toBeGreaterThanOrEqual(STATS_TIMEOUT_MS);
      expect(elapsedMs).toBeLessThan(STATS_TIMEOUT_MS + SLACK_MS);
      const named = new RegExp(
        `worker 1 \\(pid ${victim}\\) sent no stats for (\\d+\\.\\d) s \\(--stats-timeout 3 s\\)`,
      );
      expect(result.stderr).toMatch(named);
      const silentS = Number(named.exec(result.stderr)![1]);
      // The watchdog fires only past the timeout; the message rounds to 0.1 s, so 3.04 s reads "3.0".
      expect(silentS).toBeGreaterThanOrEqual(STATS_TIMEOUT_MS / 1000);

      const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
      expect(report.outcome).toBe('failed');
      expect(report.passed).toBe(false);
      expect(report.problems.find((problem) => problem.worker === 1)).toMatchObject({
        pid: victim,
        message: expect.stringMatching(named),
      });
      expect(report.instances[1]!.exit).toMatchObject({ signal: 'SIGKILL', reason: expect.stringMatching(named) });
      // The others ran to the end of the shortened run and reported: their data is in the report.
      for (const index of [0, 2]) {
        const instance = report.instances[index]!;
        expect(instance.exit).toBeNull();
        expect(instance.published).toBeGreaterThan(0);
        expect(instance.delivered).toBeGreaterThan(0);
      }
      expect(report.latencyUs.count).toBeGreaterThan(0);
      for (const pid of [...workerPids, redisPid]) expect(isAlive(pid), `pid ${pid} still running`).toBe(false);
    } finally {
      if (victim !== undefined && isAlive(victim)) {
        process.kill(victim, 'SIGCONT');
        process.kill(victim, 'SIGKILL');
      }
      run.kill('SIGKILL');
    }
  }, 120_000);
});

describe('a hung Redis', () => {
  it('that accepts connections and never answers (SIGSTOP): exit 2 within its 5 s timeout, no worker forked', async () => {
    const redis = await startPrivateRedis();
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const result = await startHarness(['--procs=2', '--duration=2s'], { REDIS_URL: redis.url });
      expect(result.exitCode).toBe(2);
      expect(Date.now() - started).toBeLessThan(5000 + SLACK_MS);
      expect(result.stderr).toMatch(/cannot use Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: Command timed out/);
      expect(result.stderr).not.toContain('forked');
    } finally {
      process.kill(redis.pid, 'SIGCONT');
      await redis.stop();
    }
    expect(isAlive(redis.pid)).toBe(false);
  }, 60_000);
});
