// Runs the built harness CLI to a clean pass in a temp dir, checks nothing it started outlived it, returns the report.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { isAlive, parseLogLines, startHarness } from './harness-cli.js';

/** Call at a test file's top level: a temp dir for the reports, removed after the file's tests. */
export function reportRunner(): (name: string, args: string[]) => Promise<Report> {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evbridge-fidelity-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return async (name, args) => {
    const jsonPath = join(dir, `${name}.json`);
    const result = await startHarness([...args, `--json=${jsonPath}`]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = parseLogLines(result.stderr);
    const workerPids = lines.find((line) => Array.isArray(line.pids))?.pids ?? [];
    const redisPid = lines.find((line) => line.msg === 'private redis-server started')?.redisPid;
    expect(workerPids.length).toBeGreaterThan(0);
    expect(redisPid).toBeTypeOf('number');
    for (const pid of [...workerPids, redisPid as number])
      expect(isAlive(pid), `pid ${pid} outlived the run`).toBe(false);
    return JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
  };
}
