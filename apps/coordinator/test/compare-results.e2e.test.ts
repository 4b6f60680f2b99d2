// End to end: two real short harness runs, one made slower on purpose by blocking a worker's event loop for 400 ms in
// every measured second, then the built `pnpm compare` on their reports: exit 1 on the slower one, 0 on a run against
// itself, 2 against a run of other settings.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaNode } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/compare-results/comparison.js';
import { startHarness } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const COMPARE_MAIN = fileURLToPath(new URL('../dist/compare-main.js', import.meta.url));
const tempDir = useTempDir('evbridge-compare-e2e-');

const SHORT = ['--procs=3', '--duration=4s', '--warmup=1s', '--log-level=warn'];
/** Worker 1 stalls 400 ms at the start of each of the 4 measured seconds: every second's p99 is hundreds of ms. */
const SLOWER = ['--fault-target=1', ...['0ms', '1s', '2s', '3s'].map((at) => `--fault=block-worker@${at}:400ms`)];

function compare(args: string[]) {
  return execaNode(COMPARE_MAIN, args, { reject: false, stdin: 'ignore', timeout: 30_000 });
}

async function run(name: string, args: string[]): Promise<string> {
  const path = join(tempDir(), `${name}.json`);
  const result = await startHarness([...args, `--json=${path}`]);
  // The file is what matters; the harness's own verdict is not under test here.
  expect(result.exitCode, result.stderr).toBeLessThan(2);
  return path;
}

describe('pnpm compare on real runs', () => {
  let base = '';
  let slower = '';
  let twoProcs = '';

  beforeAll(async () => {
    base = await run('base', SHORT);
    slower = await run('slower', [...SHORT, ...SLOWER]);
    twoProcs = await run('two-procs', ['--procs=2', '--duration=2s', '--warmup=500ms', '--log-level=warn']);
  }, 120_000);

  it('exits 1 on --fail-on "p99>+10%" for the run made slower, and writes why in the JSON', async () => {
    const jsonPath = join(tempDir(), 'comparison.json');
    const result = await compare([base, slower, '--fail-on', 'p99>+10%', '--json', jsonPath]);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(1);
    expect(result.stdout).toMatch(/latency p99 .* worse$/m);
    expect(result.stdout).toMatch(/RESULT: REGRESSED \(1 of 1 --fail-on rules failed\)/);
    const comparison = JSON.parse(await readFile(jsonPath, 'utf8')) as Comparison;
    expect(comparison.base.measuredSeconds).toBe(4);
    expect(comparison.new.measuredSeconds).toBe(4);
    const p99 = comparison.groups[0]?.metrics.find((row) => row.metric === 'p99');
    expect(p99?.judgement).toMatchObject({ kind: 'tested', significant: true, direction: 'higher', baseSamples: 4 });
    expect(p99?.new).toBeGreaterThan(200_000);
  }, 60_000);

  it('exits 0 comparing a run with itself', async () => {
    const result = await compare([base, base, '--fail-on', 'p99>+10%', '--fail-on', 'lost>+0']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/RESULT: NO REGRESSION \(2 of 2 --fail-on rules hold\)/);
  }, 60_000);

  it('exits 2 against a run of another process count, saying which setting differs', async () => {
    const result = await compare([base, twoProcs, '--fail-on', 'p99>+10%']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^evbridge compare: .* are not comparable: procs 3 vs 2; re-run one with/);
  }, 60_000);
});
