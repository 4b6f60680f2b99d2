// End to end: the built `pnpm bench` runs raw and bridge on one private redis-server and leaves nothing behind.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchDocument } from '../src/bench/bench-document.js';
import { isAlive, parseLogLines, startBench, watchLog } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const BENCHMARKS_MD = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));

const tempDir = useTempDir('evbridge-bench-e2e-');

const fileState = (path: string) =>
  stat(path).then(
    (info) => `${info.size}:${info.mtimeMs}`,
    () => 'absent',
  );

/** Worker pids the bench logged per run, and the private redis-server's pid. */
function startedPids(stderr: string): { workers: number[]; redis: number | undefined } {
  const lines = parseLogLines(stderr);
  const workers = lines.flatMap((line) => (Array.isArray(line.pids) ? line.pids : []));
  const redis = lines.find((line) => line.msg === 'private redis-server started')?.redisPid;
  return { workers, redis: typeof redis === 'number' ? redis : undefined };
}

describe('pnpm bench, end to end', () => {
  it('runs one round (the floor, raw and bridge on one pacer, the bridge on the other) on one private Redis, and writes it as JSON', async () => {
    const jsonPath = join(tempDir(), 'bench.json');
    const before = await fileState(BENCHMARKS_MD);
    // --allow-load: the test suite itself keeps this machine busy.
    const result = await startBench([
      '--pairs=1',
      '--procs=2',
      '--duration=1s',
      '--warmup=0s',
      '--allow-load',
      '--no-append',
      `--json=${jsonPath}`,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(await readFile(jsonPath, 'utf8')) as BenchDocument;
    expect(doc.complete).toBe(true);
    expect(doc.mode).toBe('pairs');
    expect(doc.runs.map((run) => [run.transport, run.pacer, run.outcome])).toEqual([
      ['floor', 'open-loop', 'complete'],
      ['raw', 'open-loop', 'complete'],
      ['bridge', 'open-loop', 'complete'],
      ['bridge', 'precise', 'complete'],
    ]);
    for (const run of doc.runs.filter((candidate) => candidate.transport !== 'floor')) {
      const figures = run.figures;
      expect(figures, run.transport).not.toBeNull();
      if (figures === null) continue;
      for (const key of [
        'latencyP50Us',
        'latencyP99Us',
        'latencyMaxUs',
        'transitP50Us',
        'publishedEventsPerSec',
        'deliveredEventsPerSec',
        'cpuUsPerDelivered',
        'rssPeakMeanMb',
      ] as const) {
        expect(figures[key], `${run.transport} ${key}`).toBeGreaterThan(0);
      }
      expect(figures.deliveryRatio).toBe(1);
    }
    const summary = doc.summary[0];
    expect(summary?.procs).toBe(2);
    expect(summary?.pairsCompleted).toBe(1);
    expect(summary?.ratio.latencyP50Us?.median).toBeGreaterThan(0);
    expect(summary?.pacerEffect?.ratio.latencyP50Us?.median).toBeGreaterThan(0);
    expect(summary?.harnessOverhead?.floor.deliveryRatio?.median).toBe(1);
    expect(summary?.harnessOverhead?.ratio.latencyP50Us?.median).toBeGreaterThan(0);
    expect(result.stdout).toContain('raw/floor');
    expect(result.stdout).toContain('bridge open-loop / precise');
    expect(doc.redis.version).toMatch(/^\d+\.\d+/);
    expect(doc.machine.cores).toBeGreaterThan(0);
    // What it saw of other load, and the warning exactly when it measured under load.
    expect(doc.quiet).toMatchObject({ threshold: 0.5, allowLoad: true });
    expect(doc.runs.every((run) => run.foreignCores !== null && run.foreignCores >= 0)).toBe(true);
    expect(doc.quiet.underLoad).toBe(doc.quiet.startLoad >= 0.5 || (doc.quiet.foreignCoresMax ?? 0) >= 0.5);
    expect(result.stdout).toContain('quiet machine: 1-minute load average');
    expect(result.stdout.includes('warning: measured under load')).toBe(doc.quiet.underLoad);
    expect(JSON.stringify(doc)).not.toMatch(/redis:\/\/:[0-9a-f]{16,}@/);
    expect(result.stdout).toContain('bridge/raw');
    expect(result.stdout).toContain('latency from intended p99 (us)');
    expect(result.stdout).not.toMatch(/redis:\/\/:[0-9a-f]{16,}@/);

    const pids = startedPids(result.stderr);
    expect(pids.workers).toHaveLength(8);
    // 2 floor processes and 3 x 2 harness workers, each logged with its run.
    expect(new Set([...pids.workers, ...doc.runs.flatMap((run) => run.pids)]).size).toBe(8);
    expect(pids.redis).toBeTypeOf('number');
    for (const pid of [...pids.workers, ...doc.runs.flatMap((run) => run.pids), pids.redis as number])
      expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(await fileState(BENCHMARKS_MD)).toBe(before);
  }, 90_000);

  it('on SIGINT stops after the current run, writes the partial JSON, stops Redis and exits 130', async () => {
    const jsonPath = join(tempDir(), 'interrupted.json');
    const run = startBench([
      '--pairs=3',
      '--procs=2',
      '--duration=3s',
      '--warmup=0s',
      '--allow-load',
      '--no-append',
      `--json=${jsonPath}`,
    ]);
    const log = watchLog(run);
    await log.until((line) => line.msg === 'run 2/12: raw, open-loop pacer, 2 procs, pair 1');
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode, log.text).toBe(130);
    const doc = JSON.parse(await readFile(jsonPath, 'utf8')) as BenchDocument;
    expect(doc.complete).toBe(false);
    expect(doc.runs.map((run) => [run.transport, run.outcome])).toEqual([
      ['floor', 'complete'],
      ['raw', 'interrupted'],
    ]);
    const pids = startedPids(log.text);
    expect(pids.redis).toBeTypeOf('number');
    expect(isAlive(pids.redis as number)).toBe(false);
    for (const pid of doc.runs.flatMap((entry) => entry.pids)) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  }, 60_000);

  it('--drivers runs each driver once a round on one Redis, summarizes them against raw, and leaves the files alone with --no-append', async () => {
    const jsonPath = join(tempDir(), 'drivers.json');
    const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
    const before = [await fileState(BENCHMARKS_MD), await fileState(readme)];
    const result = await startBench([
      '--drivers=raw,socketio,evbridge',
      '--pairs=1',
      '--procs=2',
      '--duration=1s',
      '--warmup=0s',
      '--allow-load',
      '--no-append',
      `--json=${jsonPath}`,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(await readFile(jsonPath, 'utf8')) as BenchDocument;
    expect(doc.mode).toBe('drivers');
    expect(doc.complete).toBe(true);
    expect(doc.runs.map((run) => [run.transport, run.outcome])).toEqual([
      ['raw', 'complete'],
      ['socketio', 'complete'],
      ['evbridge', 'complete'],
    ]);
    expect(doc.drivers?.base).toBe('raw');
    expect(doc.drivers?.drivers.map((entry) => [entry.driver, entry.roundsCompleted, entry.ratio === null])).toEqual([
      ['raw', 1, true],
      ['socketio', 1, false],
      ['evbridge', 1, false],
    ]);
    for (const entry of doc.drivers?.drivers ?? []) expect(entry.figures.deliveryRatio?.median).toBe(1);
    expect(result.stdout).toMatch(/driver \/ raw/);
    expect(result.stdout).toMatch(/^\s*socketio\s+1\/1\s/m);
    for (const pid of doc.runs.flatMap((entry) => entry.pids)) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect([await fileState(BENCHMARKS_MD), await fileState(readme)]).toEqual(before);
  }, 90_000);

  it('rejects a bad option with one line and exit code 2, starting nothing', async () => {
    const result = await startBench(['--pairs=0']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'evbridge bench: --pairs must be an integer from 1 to 100 (got "0")',
    ]);
  });
});
