import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/bench/figures.js';
import { benchRunOf, runPairs } from '../src/bench/run-pairs.js';
import { planRuns, type RunSettings } from '../src/bench/plan.js';
import type { HarnessOptions } from '../src/config/harness-options.js';
import type { HarnessDeps, HarnessResult } from '../src/run/harness-io.js';
import { lossyReport, sampleReport } from './fixtures/sample-report.js';

describe('figuresOf', () => {
  it('reads latency, rates and delivery from the report', () => {
    const report = sampleReport();
    const { figures } = figuresOf(report);
    expect(figures).toMatchObject({
      latencyP50Us: report.latencyUs.p50,
      latencyP99Us: report.latencyUs.p99,
      latencyP999Us: report.latencyUs.p999,
      latencyMaxUs: report.latencyUs.max,
      transitP50Us: report.transitLatencyUs.p50,
      transitP99Us: report.transitLatencyUs.p99,
      sendLagP50Us: 31,
      sendLagP99Us: 255,
      publishedEventsPerSec: 999.9,
      deliveredEventsPerSec: 3_999.6,
      deliveryRatio: 1,
    });
  });

  it('computes CPU per delivered event from cpuPercent x duration for a report without cpuUs', () => {
    const report = sampleReport();
    for (const row of report.instances) delete (row as Partial<typeof row>).cpuUs;
    const { figures, cpuMethod } = figuresOf(report);
    expect(cpuMethod).toBe('cpuPercent');
    // cpuPercent 12.5..16.5 over 5 workers = 72.5% of a core for 30 s = 21.75 s of CPU, over 120,000 deliveries
    expect(figures.cpuUsPerDelivered).toBeCloseTo(21_750_000 / 120_000, 6);
  });

  it('prefers cpuUs per instance when the report has it', () => {
    const report = sampleReport();
    for (const row of report.instances) Object.assign(row, { cpuUs: 1_200_000 });
    const { figures, cpuMethod } = figuresOf(report);
    expect(cpuMethod).toBe('cpuUs');
    expect(figures.cpuUsPerDelivered).toBeCloseTo((5 * 1_200_000) / 120_000, 9);
  });

  it('gives peak RSS mean and max over workers in MB (10^6 bytes)', () => {
    const { figures } = figuresOf(sampleReport());
    expect(figures.rssPeakMeanMb).toBeCloseTo((88_080_384 + 2 * 1_048_576) / 1e6, 9);
    expect(figures.rssPeakMaxMb).toBeCloseTo((88_080_384 + 4 * 1_048_576) / 1e6, 9);
  });

  it('reports IPC per worker per second only when the report counts messages', () => {
    const report = sampleReport();
    for (const [index, row] of report.instances.entries()) Object.assign(row, { ipcMessagesPerSec: 1 + index * 0.1 });
    expect(figuresOf(report).figures.ipcMessagesPerWorkerPerSec).toBeCloseTo(1.2, 9);
    for (const row of report.instances) delete (row as Partial<typeof row>).ipcMessagesPerSec;
    expect(figuresOf(report).figures.ipcMessagesPerWorkerPerSec).toBeNull();
  });

  it('has no latency or CPU per event when nothing was delivered', () => {
    const report = sampleReport();
    report.latencyUs = { ...report.latencyUs, count: 0 };
    report.totals = { ...report.totals, delivered: 0 };
    const { figures } = figuresOf(report);
    expect(figures.latencyP99Us).toBeNull();
    expect(figures.transitP50Us).toBeNull();
    expect(figures.cpuUsPerDelivered).toBeNull();
  });
});

describe('runPairs with a fake harness', () => {
  const settings: RunSettings = {
    rateEventsPerSec: 1000,
    durationMs: 1000,
    warmupMs: 0,
    payloadBytes: 256,
    pacer: 'open-loop',
    logLevel: 'warn',
  };
  const deps = (signal: AbortSignal): HarnessDeps => ({
    logger: {} as HarnessDeps['logger'],
    signal,
    progressStream: process.stderr,
  });

  it('runs raw then bridge per pair against the one Redis URL, and keeps only complete runs as figures', async () => {
    const seen: HarnessOptions[] = [];
    const fake = async (options: HarnessOptions): Promise<HarnessResult> => {
      seen.push(options);
      if (seen.length === 3) return { exitCode: 2, error: 'worker 1 failed', secrets: [] };
      return { exitCode: 0, report: sampleReport(), secrets: [] };
    };
    const { runs, stoppedBecause } = await runPairs(planRuns([3], 2, 'open-loop'), settings, {
      runHarness: fake,
      harnessDeps: deps(new AbortController().signal),
      redisUrl: 'redis://:pw@127.0.0.1:1234',
    });
    expect(stoppedBecause).toBeUndefined();
    expect(seen.map((options) => options.driver)).toEqual(['raw', 'evbridge', 'raw', 'evbridge']);
    // Drivers are compared on one pacer.
    expect(seen.map((options) => options.pacer)).toEqual(['open-loop', 'open-loop', 'open-loop', 'open-loop']);
    expect(new Set(seen.map((options) => options.redisUrl))).toEqual(new Set(['redis://:pw@127.0.0.1:1234']));
    expect(
      seen.every((options) => options.procs === 3 && options.jsonPath === undefined && options.durationMs === 1000),
    ).toBe(true);
    expect(runs.map((run) => run.outcome)).toEqual(['complete', 'complete', 'failed', 'complete']);
    expect(runs[2]?.figures).toBeNull();
    expect(runs[2]?.error).toBe('worker 1 failed');
    expect(runs[0]?.pids).toHaveLength(5);
  });

  it('stops after an interrupted run', async () => {
    const controller = new AbortController();
    let calls = 0;
    const fake = async (): Promise<HarnessResult> => {
      calls += 1;
      controller.abort('SIGINT');
      return { exitCode: 130, report: lossyReport(), secrets: [] };
    };
    const { runs } = await runPairs(planRuns([2], 3, 'open-loop'), settings, {
      runHarness: fake,
      harnessDeps: deps(controller.signal),
      redisUrl: 'redis://x',
    });
    expect(calls).toBe(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.outcome).toBe('interrupted');
    expect(runs[0]?.figures).toBeNull();
  });

  it("measures other processes' CPU per run, and stops when the machine does not get quiet between runs", async () => {
    const fake = async (): Promise<HarnessResult> => ({ exitCode: 0, report: sampleReport(), secrets: [] });
    const foreign = [0.1, 0.8];
    const previousSeen: Array<number | null> = [];
    const { runs, stoppedBecause } = await runPairs(planRuns([2], 3, 'open-loop'), settings, {
      runHarness: fake,
      harnessDeps: deps(new AbortController().signal),
      redisUrl: 'redis://x',
      measureForeign: () => ({ stop: () => foreign.shift() ?? null }),
      beforeRun: async (previous) => {
        previousSeen.push(previous.foreignCores);
        return (previous.foreignCores ?? 0) >= 0.5 ? 'not quiet' : undefined;
      },
    });
    expect(runs.map((run) => run.foreignCores)).toEqual([0.1, 0.8]);
    expect(previousSeen).toEqual([0.1, 0.8]);
    expect(stoppedBecause).toBe('not quiet');
  });

  it('keeps the failed default thresholds of a run whose figures still count', () => {
    const report = sampleReport();
    report.thresholds = [{ expression: 'delivery==100%', actual: 0.99, passed: false }];
    const run = benchRunOf(
      { order: 1, procs: 5, pair: 1, transport: 'bridge', pacer: 'open-loop' },
      { exitCode: 1, report, secrets: [] },
    );
    expect(run.outcome).toBe('complete');
    expect(run.failedThresholds).toEqual(['delivery==100%']);
    expect(run.figures).not.toBeNull();
  });
});
