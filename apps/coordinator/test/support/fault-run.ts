// Runs the built harness with one fault on 3 real workers and a private redis-server, and checks what every fault
// run must show; shared by the fault-kind and the per-driver fault tests.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FaultRecord, Report } from '../../src/model/report.js';
import { isAlive, parseLogLines, startHarness } from './harness-cli.js';
import { useTempDir } from './temp-dir.js';

/** Bounds measured on a loaded 2-core host, with a wide margin: recoveries there were 50 ms to 2.2 s. */
export const RECOVERY_BOUND = 'recovery<6s';
export const BASE = ['--procs=3', '--rate=300', '--duration=7s', '--warmup=1s', '--drain-timeout=3s'];

export interface FaultRun {
  exitCode: number | undefined;
  report: Report;
  fault: FaultRecord;
  redisPids: number[];
  stderr: string;
}

/** Runs the built CLI with one fault; returns its report after checking every process it started is gone. */
async function runFault(tempDir: () => string, name: string, args: string[]): Promise<FaultRun> {
  const jsonPath = join(tempDir(), `${name}.json`);
  const result = await startHarness([...BASE, ...args, `--json=${jsonPath}`]);
  const lines = parseLogLines(result.stderr);
  const workerPids = lines.find((line) => Array.isArray(line.pids))?.pids ?? [];
  const redisPids = lines
    .filter((line) => line.msg === 'private redis-server started' || line.msg === 'private redis-server restarted')
    .map((line) => line.redisPid as number);
  expect(workerPids, result.stderr).toHaveLength(3);
  expect(redisPids.length).toBeGreaterThan(0);
  for (const pid of [...workerPids, ...redisPids]) expect(isAlive(pid), `pid ${pid} outlived the run`).toBe(false);
  const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
  expect(report.faults, result.stderr).toHaveLength(1);
  return { exitCode: result.exitCode, report, fault: report.faults![0]!, redisPids, stderr: result.stderr };
}

/** What every fault must show: it landed on time, recovered, lost nothing outside its window, as Redis allows. */
export function expectLandedAndRecovered(run: FaultRun, maxRecoveryMs: number): void {
  const { fault, report } = run;
  expect(fault.status, fault.error ?? '').toBe('injected');
  expect(fault.injectedAtMs).toBeGreaterThanOrEqual(2000);
  expect(fault.injectedAtMs).toBeLessThan(2500);
  expect(fault.detail).not.toBeNull();
  expect(fault.recovered).toBe(true);
  expect(fault.recoveryMs).toBeLessThanOrEqual(maxRecoveryMs);
  expect(fault.verdict.allowed, fault.verdict.explanation).toBe(true);
  expect(report.totals.lostOutsideFaults).toBe(0);
  expect(report.totals.lostDuringFaults).toBe(fault.lost);
  expect(fault.lostRanges.reduce((sum, range) => sum + range.count, 0)).toBe(fault.lost);
  expect(report.totals.lost).toBe(fault.lost);
  expect(report.outcome).toBe('complete');
  expect(report.thresholds.map((threshold) => threshold.expression)).toEqual([
    'selfReceived==0',
    'lostOutsideFaults==0',
    'unpublishedOutsideFaults==0',
    RECOVERY_BOUND,
  ]);
  expectSeriesShowFault(run);
}

/**
 * The time series and the matrix show the same fault: it is marked from its injection, its losses sit in the seconds
 * its window covers and sum to the report's, and the matrix's lost cells do too (each counted on its own path).
 */
function expectSeriesShowFault(run: FaultRun): void {
  const { fault, report } = run;
  const series = report.timeSeries;
  expect(series.marks.faults).toEqual([
    expect.objectContaining({ index: 0, kind: fault.kind, fromMs: fault.injectedAtMs }),
  ]);
  const lostTotal = series.fleet.lost.reduce<number>((sum, lost) => sum + (lost ?? 0), 0);
  expect(lostTotal).toBe(report.totals.lost);
  const matrixLost = report.matrix.lost.flat().reduce<number>((sum, lost) => sum + (lost ?? 0), 0);
  expect(matrixLost).toBe(report.totals.lost);
  const window = fault.window!;
  series.fleet.lost.forEach((lost, at) => {
    const endMs = series.fleet.tMs[at]!;
    if ((lost ?? 0) > 0) {
      expect(endMs).toBeGreaterThan(window.fromMs);
      expect(endMs - series.intervalMs).toBeLessThan(window.toMs);
    }
  });
}

/** A runFault bound to a temp dir made for each test of the file. */
export function useFaultRuns(prefix: string): (name: string, args: string[]) => Promise<FaultRun> {
  const tempDir = useTempDir(prefix);
  return (name, args) => runFault(tempDir, name, args);
}
