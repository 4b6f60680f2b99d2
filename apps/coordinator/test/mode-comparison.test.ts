// --compare-modes' pure parts: the figures compared, per-instance resources of a threads run, exit codes, rendering.
import { describe, expect, it } from 'vitest';
import { combinedExitCode, compareReports, type ModeComparison } from '../src/compare/mode-comparison.js';
import { renderComparison } from '../src/compare/render.js';
import type { Report } from '../src/model/report.js';
import { sampleReport } from './fixtures/sample-report.js';

/** The sample run as threads of one process: one pid, distinct thread ids, process-wide resources in every row. */
function threadsReport(): Report {
  const report = sampleReport();
  report.run.mode = 'threads';
  report.instances = report.instances.map((row, index) => ({
    ...row,
    pid: 777,
    hostPid: 777,
    threadId: index + 1,
    rssBytes: 500 * 1_048_576,
    cpuUs: 5_000_000,
    cpuPercent: 50,
  }));
  report.latencyUs = { ...report.latencyUs, p99: report.latencyUs.p99 * 2 };
  return report;
}

const row = (rows: ReturnType<typeof compareReports>, figure: string) => {
  const found = rows.find((r) => r.figure === figure);
  if (!found) throw new Error(`no ${figure}`);
  return found;
};

describe('compareReports', () => {
  it('puts both runs side by side with the difference and the ratio', () => {
    const procs = sampleReport();
    const rows = compareReports(procs, threadsReport());
    const p99 = row(rows, 'latencyUs.p99');
    expect(p99.procs).toBe(procs.latencyUs.p99);
    expect(p99.threads).toBe(procs.latencyUs.p99 * 2);
    expect(p99.difference).toBe(procs.latencyUs.p99);
    expect(p99.ratio).toBe(2);
    expect(row(rows, 'distinctPids')).toMatchObject({ procs: 5, threads: 1 });
  });

  it("divides a threads run's process-wide CPU and RSS by N, and averages a procs run's own", () => {
    const procs = sampleReport();
    const rows = compareReports(procs, threadsReport());
    const meanRss = procs.instances.reduce((sum, r) => sum + r.rssBytes, 0) / procs.instances.length;
    expect(row(rows, 'rssBytesPerInstance')).toMatchObject({ procs: meanRss, threads: 100 * 1_048_576 });
    expect(row(rows, 'cpuUsPerInstance').threads).toBe(1_000_000);
    expect(row(rows, 'cpuPercentPerInstance').threads).toBe(10);
  });

  it('has no latency for a run that delivered nothing (not 0, which would read as instant)', () => {
    const threads = threadsReport();
    threads.latencyUs = { ...threads.latencyUs, count: 0, p50: 0, p99: 0, max: 0 };
    const rows = compareReports(sampleReport(), threads);
    expect(row(rows, 'latencyUs.p99')).toMatchObject({ threads: null, difference: null, ratio: null });
    expect(row(rows, 'transitLatencyUs.p50').threads).toBeNull();
  });

  it('leaves a run that did not measure as null, with no difference', () => {
    const rows = compareReports(sampleReport(), null);
    expect(row(rows, 'deliveryRatio')).toMatchObject({ procs: 1, threads: null, difference: null, ratio: null });
  });
});

describe('combinedExitCode', () => {
  it.each([
    [[0, 0], 0],
    [[0, 1], 1],
    [[1, 2], 2],
    [[2, 0], 2],
    [[130], 130],
    [[0, 143], 143],
    [[2, 130], 130],
  ])('%j -> %i', (codes, expected) => {
    expect(combinedExitCode(codes)).toBe(expected);
  });
});

describe('renderComparison', () => {
  it("prints one table and each run's outcome, including a run that could not be carried out", () => {
    const comparison: ModeComparison = {
      schemaVersion: 1,
      kind: 'compare-modes',
      runs: {
        procs: { exitCode: 0, report: sampleReport(), error: null },
        threads: { exitCode: 2, report: null, error: 'identity collision: workers 0, 1 report instance id "777"' },
      },
      rows: compareReports(sampleReport(), null),
    };
    const text = renderComparison(comparison);
    expect(text).toMatch(/figure\s+procs\s+threads\s+threads - procs\s+threads \/ procs/);
    expect(text).toMatch(/delivery\s+100%\s+-/);
    expect(text).toContain('procs: RESULT: PASS');
    expect(text).toContain('threads: could not be carried out (exit 2): identity collision');
    // CPU and RSS depend on the Node version: the header names it.
    expect(text).toMatch(/identity default, node v26\.12\.1; procs ran first/);
  });

  it('shows delivery collapse in points and the ratio', () => {
    const threads = threadsReport();
    threads.totals.deliveryRatio = 0;
    const comparison: ModeComparison = {
      schemaVersion: 1,
      kind: 'compare-modes',
      runs: {
        procs: { exitCode: 0, report: sampleReport(), error: null },
        threads: { exitCode: 1, report: threads, error: null },
      },
      rows: compareReports(sampleReport(), threads),
    };
    expect(renderComparison(comparison)).toMatch(/delivery\s+100%\s+0%\s+-100\.00 pts\s+x0\.00/);
  });

  it('names an identity collision under the run that had it', () => {
    const threads = threadsReport();
    threads.identity = {
      scheme: 'pid',
      collisions: [{ instanceId: '777', workers: [0, 1, 2, 3, 4] }],
      peerEventsDroppedAsOwn: 120_000,
      bridgesReportingCollision: [],
    };
    const comparison: ModeComparison = {
      schemaVersion: 1,
      kind: 'compare-modes',
      runs: {
        procs: { exitCode: 0, report: sampleReport(), error: null },
        threads: { exitCode: 1, report: threads, error: null },
      },
      rows: compareReports(sampleReport(), threads),
    };
    expect(renderComparison(comparison)).toContain(
      'identity collision: workers 0, 1, 2, 3, 4 share instance id "777"; their self-filters dropped 120,000 of their peers\' events as their own',
    );
  });
});
