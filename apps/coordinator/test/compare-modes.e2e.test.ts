// End to end: --compare-modes runs the same settings as real worker processes, then as worker threads of one process.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModeComparison } from '../src/compare/mode-comparison.js';
import { startHarness } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-compare-');

const SHORT = ['--procs=3', '--rate=300', '--duration=2s', '--warmup=500ms'];

async function compare(extra: string[]) {
  const jsonPath = join(tempDir(), `${extra.join('') || 'plain'}.json`);
  const run = startHarness(['--compare-modes', ...SHORT, ...extra, `--json=${jsonPath}`]);
  const result = await run;
  const comparison = JSON.parse(await readFile(jsonPath, 'utf8')) as ModeComparison;
  return { result, comparison, pid: run.pid };
}

describe('pnpm harness --compare-modes', () => {
  it('runs procs then threads, both complete, and prints one side-by-side table', async () => {
    const { result, comparison, pid } = await compare([]);
    expect(result.exitCode, result.stderr).toBe(0);
    const procs = comparison.runs.procs?.report;
    const threads = comparison.runs.threads?.report;
    expect(procs?.run.mode).toBe('procs');
    expect(threads?.run.mode).toBe('threads');
    expect(procs?.totals.deliveryRatio).toBe(1);
    expect(threads?.totals.deliveryRatio).toBe(1);
    expect(new Set(procs?.instances.map((row) => row.pid)).size).toBe(3);
    expect(new Set(threads?.instances.map((row) => row.pid))).toEqual(new Set([pid]));
    const pids = comparison.rows.find((row) => row.figure === 'distinctPids');
    expect(pids).toMatchObject({ procs: 3, threads: 1 });
    expect(result.stdout).toMatch(/figure\s+procs\s+threads\s+threads - procs\s+threads \/ procs/);
    expect(result.stdout).toMatch(/distinct pids\s+3\s+1\s+-2/);
    expect(result.stdout).toMatch(/procs: RESULT: PASS/);
    expect(result.stdout).toMatch(/threads: RESULT: PASS/);
  }, 90_000);

  it('with --identity=pid --allow-collisions: procs deliver everything, threads nothing, and the report says why', async () => {
    const { result, comparison, pid } = await compare(['--identity=pid', '--allow-collisions']);
    expect(result.exitCode, result.stderr).toBe(1);
    const procs = comparison.runs.procs?.report;
    const threads = comparison.runs.threads?.report;
    expect(procs?.totals.deliveryRatio).toBe(1);
    expect(procs?.identity?.collisions).toEqual([]);
    expect(threads?.totals.deliveryRatio).toBe(0);
    expect(threads?.identity?.collisions).toEqual([{ instanceId: String(pid), workers: [0, 1, 2] }]);
    expect(threads?.identity?.peerEventsDroppedAsOwn).toBe((threads?.totals.published ?? 0) * 2);
    expect(result.stdout).toMatch(/delivery\s+100%\s+0%\s+-100\.00 pts/);
    expect(result.stdout).toMatch(/threads: RESULT: FAIL/);
  }, 90_000);
});
