// Measurement fidelity of a normal run, on real processes: the clock on one host, and microsecond resolution.
import { LatencyRecorder } from '@evbridge/metrics';
import { describe, expect, it } from 'vitest';
import { reportRunner } from './support/run-to-report.js';

/** Runs the built CLI to a clean pass; returns its JSON report after checking every process it started is gone. */
const runToReport = reportRunner();

describe('measurement fidelity of a normal run', () => {
  it('finds every worker clock shared on one host, and measures it within 100 us of the coordinator', async () => {
    const report = await runToReport('clock', ['--procs=3', '--rate=300', '--duration=1s', '--warmup=0s']);
    expect(report.instances).toHaveLength(3);
    for (const instance of report.instances) {
      expect(instance).toMatchObject({ clock: 'shared', clockOffsetUs: 0, clockUncertaintyUs: 0 });
      // CLOCK_MONOTONIC is one clock for every process of a host: the true offset is 0, what the estimator measured
      // is its error, which must lie within its own bound (half the round trip + 1.5 us).
      const measuredUs = instance.clockMeasuredOffsetUs!;
      expect(Math.abs(measuredUs), `worker ${instance.index}: ${measuredUs} us`).toBeLessThanOrEqual(100);
      expect(Math.abs(measuredUs)).toBeLessThanOrEqual(Math.ceil(instance.clockRttUs / 2 + 1.5));
      expect(instance.clockRttUs).toBeGreaterThan(0);
      expect(Number.isInteger(measuredUs)).toBe(true);
    }
    expect(report.latencyUs.clockErrorBoundUs).toBe(0);
  }, 60_000);

  it('reports latency in integer microseconds, resolving below a millisecond (never rounded to ms)', async () => {
    const report = await runToReport('resolution', ['--procs=2', '--rate=200', '--duration=2s', '--warmup=0s']);
    const { p50, p90, p99 } = report.latencyUs;
    const figures = [p50, p90, p99, report.transitLatencyUs.p50, report.sendLagUs.p50];
    for (const value of figures) {
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    // Rounded to milliseconds, every figure would be a multiple of 1000.
    expect(figures.filter((value) => value % 1000 !== 0).length).toBeGreaterThan(0);
    // p50 is sub-millisecond on a quiet host (~500-700 us) but not while other runs load both cores, so the
    // test asks for sub-millisecond values where they hold under load: the quickest tenth of the deliveries.
    const latency = LatencyRecorder.decode(report.histograms.latencyUs);
    const p1 = latency.percentileUs(1);
    const p10 = latency.percentileUs(10);
    expect(p10).toBeLessThan(1000);
    expect(p1).toBeGreaterThan(0);
    expect(p1).toBeLessThan(p10);
  }, 60_000);
});
