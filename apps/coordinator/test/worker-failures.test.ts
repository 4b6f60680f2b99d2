// A worker that crashes or hangs before the measured phase: the run fails with exit code 2 naming the worker, its
// pid and its exit code (or the phase it never finished), within the phase's timeout, and leaves no process behind.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { fixture, runWithWorkerEntry } from './support/fixture-run.js';
import { isAlive, parseLogLines } from './support/harness-cli.js';

/** Runs the harness in this process with every worker forked from `entry`; returns the result and the worker pids. */
async function runWith(entry: string, args: string[]) {
  let logged = '';
  const logger = pino(
    { level: 'info' },
    new Writable({
      write: (chunk, _encoding, done) => {
        logged += String(chunk);
        done();
      },
    }),
  );
  const started = Date.now();
  const result = await runWithWorkerEntry(entry, ['--procs=3', '--duration=5s', '--warmup=0s', ...args], logger);
  const pids = parseLogLines(logged).find((line) => Array.isArray(line.pids))?.pids ?? [];
  return { result, pids, elapsedMs: Date.now() - started, logged };
}

describe('a worker that fails before measuring', () => {
  it('crashes at once: exit code 2 naming the worker, its pid and exit code; nothing measured, nothing left', async () => {
    const { result, pids, elapsedMs } = await runWith(fixture('worker-exits-at-once.mjs'), []);
    expect(pids).toHaveLength(3);
    expect(result.exitCode).toBe(2);
    expect(result.report).toBeUndefined();
    const named = /^worker (\d) \(pid (\d+)\) exited with code 3$/.exec(result.error ?? '');
    expect(named, result.error).not.toBeNull();
    expect(Number(named![2])).toBe(pids[Number(named![1])]);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('crashes while configuring (after hello): named with its exit code; the others are stopped too', async () => {
    const { result, pids } = await runWith(fixture('worker-dies-on-configure.mjs'), []);
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatch(/^worker \d \(pid \d+\) exited with code 4$/);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('hangs without a word: the handshake times out naming it, and the hung processes are SIGKILLed', async () => {
    const { result, pids, elapsedMs } = await runWith(fixture('worker-never-says-hello.mjs'), ['--ready-timeout=2s']);
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatch(/^worker \d \(pid \d+\) sent no "hello" within 2000 ms/);
    // 2 s ready timeout + 2 s shutdown grace (they ignore "shutdown"), plus slack for a loaded host.
    expect(elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(elapsedMs).toBeLessThan(12_000);
    expect(pids).toHaveLength(3);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
