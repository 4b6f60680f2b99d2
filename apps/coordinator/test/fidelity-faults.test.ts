// Measurement fidelity under faults, on real processes: a blocked publisher (coordinated omission) and paused
// Redis writes, each checked in the latency it must and must not show; no process is left behind.
import { LatencyRecorder } from '@evbridge/metrics';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { reportRunner } from './support/run-to-report.js';

/** Runs the built CLI to a clean pass; returns its JSON report after checking every process it started is gone. */
const runToReport = reportRunner();

/** How many samples of an encoded histogram are >= valueUs (by rank, from its percentiles). */
function countAtLeast(encoded: string, valueUs: number): number {
  const recorder = LatencyRecorder.decode(encoded);
  const total = recorder.count;
  let below = 0;
  let high = total;
  while (below < high) {
    const rank = Math.ceil((below + high) / 2);
    if (recorder.percentileUs((100 * rank) / total) < valueUs) below = rank;
    else high = rank - 1;
  }
  return total - below;
}

/** Every measured event arrived exactly once and every delivery is in the latency histogram. */
function expectEveryEventCounted(report: Report): void {
  expect(report.outcome).toBe('complete');
  expect(report.totals.deliveryRatio).toBe(1);
  expect(report.totals.lost).toBe(0);
  expect(report.totals.delivered).toBe(report.totals.expectedDeliveries);
  expect(report.latencyUs.count).toBe(report.totals.delivered);
}

const STALL_US = 500_000;
/** 2 workers at 200 events/s total: each publishes one event every 10 ms. */
const INTERVAL_US = 10_000;

describe('measurement fidelity under faults', () => {
  it('a publisher blocked for 500 ms shows in latency from the intended time and in its send lag, not in transit of its events', async () => {
    const report = await runToReport('block-worker', [
      '--procs=2',
      '--rate=200',
      '--duration=3s',
      '--warmup=0s',
      '--fault',
      'block-worker@1s:500ms',
      '--fault-target=0',
    ]);
    const [blocked, peer] = report.instances;
    expect(report.faults).toEqual([
      expect.objectContaining({
        kind: 'block-worker',
        target: {
          type: 'worker',
          index: 0,
          pid: blocked!.pid,
          instanceId: blocked!.instanceId,
          chosenBy: 'option',
          seed: null,
        },
        atMs: 1000,
        durationMs: 500,
        injectedAtMs: expect.any(Number),
        status: 'injected',
        error: null,
        lost: 0,
        duplicates: 0,
        recovered: true,
      }),
    ]);
    expect(report.faults![0]!.injectedAtMs).toBeGreaterThanOrEqual(1000);
    expect(report.faults![0]!.injectedAtMs).toBeLessThan(1100);
    // Nothing vanished: the ~50 events due during the stall were published late, delivered and recorded.
    expectEveryEventCounted(report);

    // What is physically right, with the stall beginning at B and lasting D = 500 ms:
    // - Worker 0 publishes nothing in [B, B + D). Its first event due after B is due before B + 10 ms (one
    //   interval) and goes out after B + D: its send lag, and its latency from the intended time at worker 1,
    //   are at least D - 10 ms. (500 ms exactly is not guaranteed: that needs an event due at B itself.)
    // - Its transit (publish call -> handler) starts at the late publish call, so at worker 1 it stays small.
    // - Worker 0 cannot receive during the stall either: worker 1's events published in [B, B + D) wait in
    //   worker 0's socket, so events *to* the blocked worker carry the stall in transit too (it is its own
    //   receive path, not the sender's lateness). Hence the run-wide transit max shows ~D; the per-instance
    //   figures tell the two apart.
    const minimumStallUs = STALL_US - INTERVAL_US;
    expect(report.latencyUs.max).toBeGreaterThanOrEqual(minimumStallUs);
    expect(report.sendLagUs.max).toBeGreaterThanOrEqual(minimumStallUs);
    expect(blocked!.sendLagUs!.max).toBeGreaterThanOrEqual(minimumStallUs);
    expect(peer!.sendLagUs!.max).toBeLessThan(250_000);
    // Events from the blocked publisher, as worker 1 received them:
    expect(peer!.latencyUs.max).toBeGreaterThanOrEqual(minimumStallUs);
    expect(peer!.transitLatencyUs!.max).toBeLessThan(250_000);
    // Events to the blocked worker (its own receive path stalled):
    expect(blocked!.transitLatencyUs!.max).toBeGreaterThanOrEqual(450_000);

    // The events due during the stall are in the histogram with their stall: events due in [B, B + D - 250 ms)
    // from worker 0 and those worker 1 published in that span (each side ~25 at 100/s) are >= 250 ms late.
    const perSide = Math.floor(((STALL_US - 250_000) / 1e6) * 100) - 1;
    expect(countAtLeast(report.histograms.latencyUs, 250_000)).toBeGreaterThanOrEqual(2 * perSide);
  }, 60_000);

  it('Redis writes paused for 500 ms show in latency from the intended time and in transit, not in send lag', async () => {
    const report = await runToReport('pause-redis-writes', [
      '--procs=2',
      '--rate=200',
      '--duration=3s',
      '--warmup=0s',
      '--fault',
      'pause-redis-writes@1s:500ms',
    ]);
    expect(report.faults).toEqual([
      expect.objectContaining({
        kind: 'pause-redis-writes',
        target: { type: 'redis', url: report.run.redis.url },
        atMs: 1000,
        durationMs: 500,
        injectedAtMs: expect.any(Number),
        status: 'injected',
        error: null,
        lost: 0,
        duplicates: 0,
        recovered: true,
      }),
    ]);
    expectEveryEventCounted(report);
    // Redis holds every PUBLISH it gets during the pause (from both workers) until it ends: the publish call was
    // on time (the workers' event loops run on), so transit and latency both carry the pause, send lag does not.
    // The first PUBLISH after the pause began waited at least D minus one interval (and minus any lateness).
    expect(report.latencyUs.max).toBeGreaterThanOrEqual(450_000);
    expect(report.transitLatencyUs.max).toBeGreaterThanOrEqual(450_000);
    for (const instance of report.instances) {
      expect(instance.latencyUs.max).toBeGreaterThanOrEqual(450_000);
      expect(instance.transitLatencyUs!.max).toBeGreaterThanOrEqual(450_000);
    }
    expect(report.sendLagUs.max).toBeLessThan(250_000);
  }, 60_000);
});
