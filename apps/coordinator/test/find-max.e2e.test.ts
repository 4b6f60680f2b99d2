// End to end: `--find-max` searches on real worker processes and one private redis-server, and leaves none behind.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FindMaxDocument } from '../src/find-max/document.js';
import { isAlive, parseLogLines, startHarness } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-find-max-');

/** Every worker and redis-server pid the harness logged: none may outlive it. */
function startedPids(stderr: string): { workers: number[]; redis: number[] } {
  const lines = parseLogLines(stderr);
  return {
    workers: lines.flatMap((line) => line.pids ?? []),
    redis: lines.filter((line) => line.msg === 'private redis-server started').map((line) => line.redisPid as number),
  };
}

const stepLines = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('step '));

describe('pnpm harness --find-max, end to end', () => {
  it('ramps on one private Redis, prints each step and the answer, writes the JSON, leaves no process behind', async () => {
    const jsonPath = join(tempDir(), 'find-max.json');
    // A loose SLO so the answer does not depend on how busy this machine is: the test checks the search, not the speed.
    const result = await startHarness([
      '--find-max',
      '--procs=2',
      '--rate=200',
      '--step-duration=1s',
      '--step-warmup=300ms',
      '--max-steps=3',
      '--slo-p99=2s',
      '--slo-publish=50%',
      `--json=${jsonPath}`,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = stepLines(result.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^step 1  200\/s  pass  delivery 100%  p99 [\d,]+ us  published [\d,.]+\/s  lost 0/);
    expect(lines[1]).toMatch(/^step 2  400\/s  pass /);
    expect(lines[2]).toMatch(/^step 3  800\/s  pass /);
    expect(result.stdout).toMatch(/^find-max: evbridge, 2 procs/m);
    expect(result.stdout).toMatch(/^max rate: 800\/s total \(400\/s per process\) holds the SLO/m);

    const document = JSON.parse(await readFile(jsonPath, 'utf8')) as FindMaxDocument;
    expect(document).toMatchObject({
      schemaVersion: 1,
      outcome: 'complete',
      maxRateEventsPerSec: 800,
      transport: 'evbridge',
      procs: 2,
    });
    expect(document.slo).toEqual({ minDeliveryRatio: 1, maxP99Us: 2_000_000, minPublishRatio: 0.5 });
    expect(document.steps.map((step) => step.rateEventsPerSec)).toEqual([200, 400, 800]);
    for (const step of document.steps) {
      expect(step.passed).toBe(true);
      expect(step.deliveryRatio).toBe(1);
      expect(Number.isInteger(step.p99Us)).toBe(true);
      expect(step.p99Us).toBeGreaterThan(0);
      expect(step.publishedEventsPerSec).toBeGreaterThan(step.rateEventsPerSec * 0.5);
      expect(step.durationMs).toBeGreaterThanOrEqual(1_300);
    }

    const pids = startedPids(result.stderr);
    expect(pids.redis, 'one redis-server for the whole search').toHaveLength(1);
    expect(pids.workers).toHaveLength(6);
    for (const pid of [...pids.workers, ...pids.redis])
      expect(isAlive(pid), `pid ${pid} outlived the harness`).toBe(false);
    expect(result.stdout + result.stderr).not.toMatch(/redis:\/\/:[0-9a-f]{8,}@/);
  }, 60_000);

  it('stops on SIGINT with the steps so far, exit 130, and no process left', async () => {
    const jsonPath = join(tempDir(), 'interrupted.json');
    const run = startHarness([
      '--find-max',
      '--procs=2',
      '--rate=100',
      '--step-duration=1s',
      '--step-warmup=0s',
      '--max-steps=10',
      '--slo-p99=2s',
      '--slo-publish=50%',
      `--json=${jsonPath}`,
    ]);
    let stdout = '';
    run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 30_000;
      const poll = setInterval(() => {
        if (stepLines(stdout).length > 0) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() > deadline) {
          clearInterval(poll);
          reject(new Error(`no step line within 30 s:\n${stdout}`));
        }
      }, 25);
    });
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(130);
    expect(stepLines(result.stdout).length).toBeGreaterThanOrEqual(1);
    expect(result.stdout).toMatch(/^best so far \(search not finished\): /m);
    expect(result.stderr).toMatch(/find-max interrupted by SIGINT/);
    const document = JSON.parse(await readFile(jsonPath, 'utf8')) as FindMaxDocument;
    expect(document.outcome).toBe('interrupted');
    expect(document.steps.length).toBeGreaterThanOrEqual(1);
    expect(document.steps[0]?.rateEventsPerSec).toBe(100);
    const pids = startedPids(result.stderr);
    expect(pids.redis).toHaveLength(1);
    for (const pid of [...pids.workers, ...pids.redis])
      expect(isAlive(pid), `pid ${pid} outlived the harness`).toBe(false);
  }, 60_000);

  it('exits 2 when the search cannot run at all', async () => {
    const result = await startHarness(['--find-max', '--redis=redis://127.0.0.1:1', '--step-duration=1s']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/find-max could not start: cannot use Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(stepLines(result.stdout)).toEqual([]);
  }, 30_000);
});
