// The bench's quiet-machine gate: it waits for the load to drop, refuses with the fix named, and never starts a run then.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { awaitQuietStart, type QuietDeps } from '../src/bench/quiet-machine.js';
import { parseBenchArgs } from '../src/bench/options.js';
import { runBench } from '../src/bench/run-bench.js';

/** A clock that moves only when the gate sleeps, and a load average read from a list (the last value repeats). */
function fakeMachine(loads: number[]): QuietDeps & { sleptMs: number } {
  let nowMs = 0;
  const machine = {
    sleptMs: 0,
    load1m: () => (loads.length > 1 ? loads.shift()! : loads[0]!),
    foreignCoresOver: async () => 0,
    sleep: async (ms: number) => {
      nowMs += ms;
      machine.sleptMs += ms;
    },
    now: () => nowMs,
    signal: new AbortController().signal,
  };
  return machine;
}

describe('awaitQuietStart', () => {
  it('waits, polling, until the 1-minute load average drops below 0.5', async () => {
    const machine = fakeMachine([2, 0.9, 0.3]);
    expect(await awaitQuietStart(60_000, machine)).toEqual({ quiet: true, load: 0.3, waitedMs: 10_000 });
  });

  it('gives up after the wait with the last load seen', async () => {
    const machine = fakeMachine([1.5]);
    expect(await awaitQuietStart(12_000, machine)).toEqual({ quiet: false, load: 1.5, waitedMs: 12_000 });
    expect(machine.sleptMs).toBe(12_000);
  });
});

describe('runBench on a busy machine', () => {
  it('refuses before starting Redis or any run, naming the load and the fix; --allow-load is the way round', async () => {
    const parsed = parseBenchArgs(['--quiet-wait=10s']);
    if (parsed.kind !== 'run') throw new Error('bad options');
    let runs = 0;
    const outcome = await runBench(parsed.options, {
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      command: 'pnpm bench',
      repoRoot: process.cwd(),
      runHarness: async () => {
        runs += 1;
        throw new Error('no run may start');
      },
      findMaxRate: async () => {
        throw new Error('no search may start');
      },
      quietDeps: fakeMachine([3.2]),
    });
    expect(runs).toBe(0);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.doc).toBeUndefined();
    expect(outcome.error).toBe(
      'the machine is not quiet: the 1-minute load average was 3.20 after waiting 10s (a measurement needs below 0.5); stop what else runs, wait longer with --quiet-wait, or pass --allow-load to measure anyway (its section then carries a warning)',
    );
  });
});
