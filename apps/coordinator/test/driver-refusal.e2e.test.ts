// A driver is loaded and checked before any worker starts: a module that lacks a method, or a fault the driver
// cannot take, ends the run at once with exit 2 and one line naming what is missing; no worker was forked.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLogLines, startHarness } from './support/harness-cli.js';

const driverFixture = (name: string) =>
  fileURLToPath(new URL(`../../../packages/driver/test/fixtures/${name}.js`, import.meta.url));
const RUN = ['--procs=2', '--duration=1s', '--warmup=0s', '--rate=100'];
const forkedWorkers = (stderr: string) =>
  parseLogLines(stderr).filter(
    (line) => typeof line.msg === 'string' && /started|forked/.test(line.msg) && 'pids' in line,
  );

describe('driver refusal before any worker starts', () => {
  it('a module whose driver lacks publish() is refused, naming it', async () => {
    const result = await startHarness([...RUN, `--driver=${driverFixture('lacks-publish')}`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /is refused: its driver lacks publish\(\), connections\(\) \(see docs\/drivers\.md\)/,
    );
    expect(forkedWorkers(result.stderr)).toEqual([]);
  });

  it('a module that does not exist is refused with the import error', async () => {
    const result = await startHarness([...RUN, '--driver=./no/such/driver.js']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/driver \.\/no\/such\/driver\.js is refused: it could not be imported/);
  });

  it('a fault that needs named connections is refused for a driver that names none, with the reason', async () => {
    const result = await startHarness([
      '--procs=2',
      '--duration=3s',
      '--warmup=0s',
      `--driver=${driverFixture('create-driver-only')}`,
      '--fault=kill-publishers@1s',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /cannot do what this run asks: --fault kill-publishers finds connections by name, and the driver names none/,
    );
    expect(forkedWorkers(result.stderr)).toEqual([]);
  });

  it('--identity=pid is refused for a driver that cannot take an instance id', async () => {
    const result = await startHarness([...RUN, '--driver=socketio', '--identity=pid', '--allow-collisions']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/driver socketio cannot do what this run asks: --identity=pid needs a driver/);
  });
});
