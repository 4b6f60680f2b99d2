// A run that measured nothing fails (exit 1) and says why, even when every threshold it has holds: here a fault run
// (its defaults are selfReceived==0 and lostOutsideFaults==0, both true of nothing) whose rate leaves no event in the
// measured window. Real processes, the harness's own private redis-server.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { startHarness } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-empty-');

describe('a run that measured nothing', () => {
  it('fails with exit 1, a problem line and a verdict that say nothing was measured', async () => {
    const jsonPath = join(tempDir(), 'empty.json');
    // 0.05 events/s per worker: each worker's first event falls in the warm-up, its second 20 s later.
    const args = [
      '--procs=2',
      '--rate=0.1',
      '--warmup=1s',
      '--duration=1s',
      '--fault=pause-redis@300ms:200ms',
      `--json=${jsonPath}`,
    ];
    const result = await startHarness(args);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.totals.published).toBe(0);
    expect(report.thresholds.every((threshold) => threshold.passed)).toBe(true);
    expect(report.passed).toBe(false);
    expect(report.problems.map((problem) => problem.message)).toContain(
      'nothing was measured: no measured event was published, so no threshold judged anything',
    );
    expect(result.stdout).toContain('RESULT: FAIL (nothing was measured: no measured event was published)');
  }, 60_000);
});
