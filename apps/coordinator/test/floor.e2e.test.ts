// The harness-free floor on real processes and Redis: every event reaches every other process, the figures come back
// in the bench's shape, and no floor process outlives its run (also when aborted).
import { describe, expect, inject, it } from 'vitest';
import { FLOOR_ENTRY, runFloor } from '../src/bench/floor.js';
import type { RunSettings } from '../src/bench/plan.js';
import { isAlive } from './support/harness-cli.js';
import { descendantsOf, runsNodeScript, watchDescendants, type ProcessId } from './support/process-tree.js';

const settings: RunSettings = {
  rateEventsPerSec: 300,
  durationMs: 1_000,
  warmupMs: 300,
  payloadBytes: 64,
  pacer: 'open-loop',
  logLevel: 'silent',
};

describe('runFloor', () => {
  it.each(['open-loop', 'naive-interval'] as const)(
    '3 processes on the %s pacer: all delivered, latency measured, nothing left',
    async (pacer) => {
      const run = await runFloor(3, { ...settings, pacer }, inject('redisUrl'), new AbortController().signal);
      expect(run.figures.deliveryRatio).toBe(1);
      expect(run.figures.publishedEventsPerSec).toBeGreaterThanOrEqual(270);
      expect(run.figures.deliveredEventsPerSec).toBeCloseTo(run.figures.publishedEventsPerSec! * 2, 0);
      expect(run.figures.latencyP50Us).toBeGreaterThan(0);
      expect(run.figures.transitP99Us).toBeGreaterThan(0);
      expect(run.figures.sendLagP50Us).not.toBeNull();
      // Its own CPU over the measured window and its peak RSS, so the bench can set the harness's beside them.
      expect(run.figures.cpuUsPerDelivered).toBeGreaterThan(0);
      expect(run.figures.cpuUsPerDelivered).toBeLessThan(10_000);
      expect(run.figures.rssPeakMeanMb).toBeGreaterThan(20);
      expect(run.figures.rssPeakMaxMb).toBeGreaterThanOrEqual(run.figures.rssPeakMeanMb!);
      expect(run.pids).toHaveLength(3);
      for (const pid of run.pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    },
    30_000,
  );

  it('aborted mid-run: rejects and leaves no floor process behind', async () => {
    const controller = new AbortController();
    const running = runFloor(2, { ...settings, durationMs: 10_000 }, inject('redisUrl'), controller.signal);
    const tree = watchDescendants(process.pid);
    const floorProcesses = (seen: ProcessId[]) => seen.filter((proc) => runsNodeScript(proc, FLOOR_ENTRY));
    // Abort once both floor processes run.
    await tree.until((seen) => floorProcesses(seen)[1], 10_000);
    expect(floorProcesses(tree.stop())).toHaveLength(2);
    controller.abort('SIGINT');
    await expect(running).rejects.toThrow(/floor process \d+ exited/);
    expect(descendantsOf(process.pid).filter((proc) => runsNodeScript(proc, FLOOR_ENTRY))).toEqual([]);
  }, 30_000);
});
