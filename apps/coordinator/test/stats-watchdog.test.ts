// The stats watchdog's logic on fake workers and a fake clock: silence over the timeout fails and kills a worker,
// stats or an excused fault window reset the count, exited workers are left alone.
import type { WorkerMessageOf } from '@evbridge/protocol';
import { describe, expect, it } from 'vitest';
import { WorkerFailure, type WorkerExit } from '../src/fleet/worker-handle.js';
import { excuseWorkerFaults } from '../src/run/fault-silences.js';
import { StatsWatchdog, type WatchedWorker } from '../src/run/stats-watchdog.js';

class FakeWorker implements WatchedWorker {
  exit: WorkerExit | undefined;
  readonly failures: Error[] = [];
  readonly kills: string[] = [];
  #listeners: Array<(stats: WorkerMessageOf<'stats'>) => void> = [];

  constructor(
    readonly index: number,
    readonly pid: number,
  ) {}

  onStats(listener: (stats: WorkerMessageOf<'stats'>) => void): void {
    this.#listeners.push(listener);
  }

  sendStats(): void {
    for (const listener of this.#listeners) listener({} as WorkerMessageOf<'stats'>);
  }

  fail(error: Error): void {
    this.failures.push(error);
  }

  async terminate(): Promise<WorkerExit> {
    this.kills.push('terminate');
    this.exit = { exitCode: null, signal: 'SIGKILL' };
    return this.exit;
  }
}

function setup(timeoutMs = 5000) {
  let now = 1_000_000;
  const workers = [new FakeWorker(0, 100), new FakeWorker(1, 101)];
  const watchdog = new StatsWatchdog(workers, { timeoutMs, nowMs: () => now, checkEveryMs: 60_000 });
  return {
    workers,
    watchdog,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

describe('StatsWatchdog', () => {
  it('fails and SIGKILLs a worker silent for longer than the timeout, naming it, its pid and the silence', async () => {
    const { workers, watchdog, advance } = setup();
    watchdog.start();
    advance(3000);
    workers[0]!.sendStats();
    expect(watchdog.check()).toEqual([]);
    advance(2001);
    // Worker 1 has been silent 5001 ms since the start; worker 0 only 2001 ms since its stats.
    expect(watchdog.check()).toEqual([{ index: 1, pid: 101, silentMs: 5001 }]);
    const failure = workers[1]!.failures[0];
    expect(failure).toBeInstanceOf(WorkerFailure);
    expect(failure!.message).toBe(
      'worker 1 (pid 101) sent no stats for 5.0 s (--stats-timeout 5 s): it is hung (stopped, or its event loop blocked); terminated',
    );
    expect(workers[1]!.kills).toEqual(['terminate']);
    expect(workers[0]!.failures).toEqual([]);
    expect(watchdog.failures).toEqual([failure]);
    // Found once: later checks leave it alone.
    advance(10_000);
    expect(watchdog.check().map((hung) => hung.index)).toEqual([0]);
    expect(workers[1]!.failures).toHaveLength(1);
    await watchdog.stop();
  });

  it('does not count silence at exactly the timeout, nor before start or after stop', async () => {
    const { watchdog, advance, workers } = setup();
    advance(60_000);
    expect(watchdog.check()).toEqual([]);
    watchdog.start();
    advance(5000);
    expect(watchdog.check()).toEqual([]);
    await watchdog.stop();
    advance(60_000);
    expect(watchdog.check()).toEqual([]);
    expect(workers.flatMap((worker) => worker.kills)).toEqual([]);
  });

  it('leaves a worker that already exited to the exit handling', async () => {
    const { watchdog, advance, workers } = setup();
    watchdog.start();
    workers[0]!.exit = { exitCode: 1, signal: null };
    advance(6000);
    expect(watchdog.check().map((hung) => hung.index)).toEqual([1]);
    expect(workers[0]!.kills).toEqual([]);
    await watchdog.stop();
  });

  it('excuses a silence on purpose (a fault window) and counts again from its end', async () => {
    const { watchdog, advance, workers, now } = setup();
    watchdog.start();
    workers[0]!.sendStats();
    workers[1]!.sendStats();
    watchdog.excuse(0, now() + 1000, 8000);
    advance(8500);
    workers[1]!.sendStats();
    // Worker 0: silent 8.5 s, but excused from +1 s to +9 s.
    expect(watchdog.check()).toEqual([]);
    advance(5400);
    workers[1]!.sendStats();
    // 4.9 s after the window ended.
    expect(watchdog.check()).toEqual([]);
    advance(200);
    expect(watchdog.check()).toEqual([{ index: 0, pid: 100, silentMs: 5100 }]);
    await watchdog.stop();
  });

  it('excuses the target of worker faults only (block-worker), in the run clock', () => {
    const excused: Array<[number, number, number]> = [];
    excuseWorkerFaults(
      { excuse: (index, fromMs, durationMs) => excused.push([index, fromMs, durationMs]) },
      {
        faultTarget: 2,
        faults: [
          { kind: 'block-worker', atMs: 1000, durationMs: 7000 },
          { kind: 'pause-redis', atMs: 2000, durationMs: 500 },
        ],
      },
      5_000_000,
    );
    expect(excused).toEqual([[2, 6000, 7000]]);
  });

  it('rejects a timeout that is not positive', () => {
    expect(() => new StatsWatchdog([], { timeoutMs: 0 })).toThrow(RangeError);
  });
});
