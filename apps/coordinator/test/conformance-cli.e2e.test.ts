// `pnpm harness --driver X --conformance` on the private redis-server: the verdict per property, exit 0 when the
// driver conforms and 1 when it does not; no process or server left behind.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive, parseLogLines, startHarness } from './support/harness-cli.js';

const path = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

describe('--conformance', () => {
  it('the example driver conforms: every property holds, exit 0', async () => {
    const result = await startHarness([
      `--driver=${path('packages/driver/examples/example-driver.js')}`,
      '--conformance',
      '--procs=3',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/conformance: driver example, 3 instance processes/);
    expect(result.stdout.match(/^ {2}holds {2}/gm)).toHaveLength(5);
    expect(result.stdout).toContain('5 of 5 properties hold: conforms');
    const redisPid = parseLogLines(result.stderr).find((line) => line.msg === 'private redis-server started')?.redisPid;
    expect(isAlive(redisPid as number)).toBe(false);
  }, 60_000);

  it('a driver whose self-filter leaks fails self-filter, exit 1', async () => {
    const result = await startHarness([
      `--driver=${path('packages/driver/test/fixtures/hears-itself.js')}`,
      '--conformance',
      '--procs=2',
    ]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/FAILS {2}self-filter +0 received \d+ of its own events/);
    expect(result.stdout).toContain('does not conform');
  }, 60_000);

  it('the built-in socketio driver conforms', async () => {
    const result = await startHarness(['--driver=socketio', '--conformance', '--procs=3']);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('identity: socket.io adapter uid');
  }, 60_000);
});
