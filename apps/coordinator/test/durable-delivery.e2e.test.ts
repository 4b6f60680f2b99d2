// --delivery=at-least-once end to end: real workers, evbridge on Redis Streams, a private redis-server on appendonly.
// A Redis restart and a subscriber-side fault each lose nothing (delivery 100%), the verdict holds the run to what
// Streams promise, and a driver without a durable mode is refused before any worker starts.
import { describe, expect, it } from 'vitest';
import { parseLogLines, startHarness } from './support/harness-cli.js';
import { expectLandedAndRecovered, RECOVERY_BOUND, useFaultRuns } from './support/fault-run.js';

const runFault = useFaultRuns('evbridge-durable-');

describe('--delivery=at-least-once on real processes', () => {
  it('restart-redis: Redis on appendonly keeps the stream; every reader resumes; nothing lost', async () => {
    const run = await runFault('restart-redis', [
      '--delivery=at-least-once',
      '--fault=restart-redis@2s:1s',
      `--threshold=${RECOVERY_BOUND}`,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 5000);
    expect(run.redisPids).toHaveLength(2);
    const { report, fault } = run;
    expect(report.run.delivery).toBe('at-least-once');
    expect(fault.lost).toBe(0);
    expect(fault.verdict.explanation).toMatch(/^nothing lost/);
    expect(report.totals).toMatchObject({ lost: 0, deliveryRatio: 1, driverReportedLost: 0, publishFailed: 0 });
    expect(report.totals.delivered).toBe(report.totals.expectedDeliveries);
    // XADD has no receiver count: no receivers problem for a durable run.
    expect(report.problems).toEqual([]);
  }, 90_000);

  it('kill-subscribers: the stream-reading connections are killed by name and resume from their cursors', async () => {
    const run = await runFault('kill-subscribers', [
      '--delivery=at-least-once',
      '--fault=kill-subscribers@2s',
      `--threshold=${RECOVERY_BOUND}`,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 3000);
    expect(run.fault.detail).toBe('CLIENT KILL closed 3 of 3 stream-reading connections (by name)');
    expect(run.report.totals).toMatchObject({ lost: 0, deliveryRatio: 1, driverReportedLost: 0 });
  }, 90_000);

  it('refuses a driver without a durable mode before any worker starts, naming the fix', async () => {
    const result = await startHarness(['--delivery=at-least-once', '--driver=raw', '--procs=2', '--duration=1s']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'driver raw cannot do what this run asks: --delivery=at-least-once needs a driver with a durable mode (capabilities.atLeastOnce): use --driver=evbridge or evbridge-coalesced, or drop --delivery',
    );
    // No worker was started: the log never lists worker pids.
    expect(parseLogLines(result.stderr).some((line) => Array.isArray(line.pids))).toBe(false);
  }, 60_000);
});
