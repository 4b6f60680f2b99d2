// Measurement fidelity of a normal run, on real processes: the clock offset on one host, and microsecond resolution.
import { LatencyRecorder } from '@evbridge/metrics';
import { describe, expect, it } from 'vitest';
import { estimateClockOffset, type ClockSample } from '../src/run/clock-offset.js';
import { reportRunner } from './support/run-to-report.js';

/** Runs the built CLI to a clean pass; returns its JSON report after checking every process it started is gone. */
const runToReport = reportRunner();

/** A ping-pong sample: sent at sentUs, answered `toWorkerUs` later on a clock `offsetUs` ahead, back `backUs` later. */
function sample(sentUs: number, toWorkerUs: number, backUs: number, offsetUs: number): ClockSample {
  return { sentUs, workerUs: sentUs + toWorkerUs + offsetUs, receivedUs: sentUs + toWorkerUs + backUs };
}

describe('clock offset estimate', () => {
  it('recovers a known offset from the quickest round trips, ignoring slow, lopsided ones', () => {
    const samples: ClockSample[] = [];
    for (let index = 0; index < 60; index += 1) {
      const start = index * 10_000;
      // Most round trips are slow and lopsided (the worker was asleep): these alone would say +400 us.
      if (index % 10 !== 0) samples.push(sample(start, 900 + index, 100, 250));
      // A few are quick and symmetric.
      else samples.push(sample(start, 60 + (index % 3), 60 + (index % 3), 250));
    }
    expect(estimateClockOffset(samples)).toEqual({ offsetUs: 250, rttUs: 120 });
  });

  it('takes the median of the quickest tenth, so one skewed quick sample does not decide', () => {
    const samples = [
      sample(0, 10, 90, 0), // the quickest, and lopsided: alone it would say -40 us
      sample(1000, 52, 50, 0),
      sample(2000, 51, 52, 0),
      ...Array.from({ length: 20 }, (_, index) => sample(3000 + index * 1000, 300, 300, 0)),
    ];
    const estimate = estimateClockOffset(samples);
    expect(estimate.rttUs).toBe(100);
    expect(Math.abs(estimate.offsetUs)).toBeLessThanOrEqual(1);
    expect(() => estimateClockOffset([])).toThrow(RangeError);
  });
});

describe('measurement fidelity of a normal run', () => {
  it('reports every worker clock within 100 us of the coordinator on one host', async () => {
    const report = await runToReport('clock', ['--procs=3', '--rate=300', '--duration=1s', '--warmup=0s']);
    expect(report.instances).toHaveLength(3);
    for (const instance of report.instances) {
      // CLOCK_MONOTONIC is one clock for every process of a host: the true offset is 0, what shows is error.
      expect(
        Math.abs(instance.clockOffsetUs),
        `worker ${instance.index}: ${instance.clockOffsetUs} us`,
      ).toBeLessThanOrEqual(100);
      expect(instance.clockRttUs).toBeGreaterThan(0);
      expect(Number.isInteger(instance.clockOffsetUs)).toBe(true);
    }
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
