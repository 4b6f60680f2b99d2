// Clocks across hosts, on real clock differences: each worker forked into its own Linux time namespace, its
// CLOCK_MONOTONIC whole seconds away from the coordinator's (`unshare --time --monotonic`). The corrected run must
// match a run without offsets within the reported bound; uncorrected, latency is off by seconds.
// Skipped, with the reason printed, where unshare cannot make a time namespace (not Linux 5.6+, not root).
import { describe, expect, it } from 'vitest';
import { timensAvailable, uptimeS } from '../src/fleet/time-namespace.js';
import type { Report } from '../src/model/report.js';
import type { HarnessDeps } from '../src/run/harness-io.js';
import { runInProcess } from './support/fixture-run.js';
import { isAlive } from './support/harness-cli.js';

const probe = await timensAvailable(-1);
if (!probe.available) console.warn(`time namespace tests skipped: ${probe.reason}`);

/** A negative offset must leave the namespace's monotonic clock positive: at most the host's uptime, less a margin. */
const BEHIND_S = -Math.min(30, Math.max(1, Math.floor(uptimeS()) - 5));
const OFFSETS_S = [0, 50, BEHIND_S];
const ARGS = ['--procs=3', '--rate=300', '--duration=4s', '--warmup=500ms'];

async function runToReport(
  deps: Partial<HarnessDeps>,
  args: readonly string[] = ARGS,
): Promise<{ exitCode: number; report: Report }> {
  const result = await runInProcess(args, deps);
  expect(result.report, result.error).toBeDefined();
  const report = result.report!;
  // Nothing the run started outlived it: every worker's node process (unshare's child) is gone.
  for (const instance of report.instances)
    expect(isAlive(instance.hostPid), `pid ${instance.hostPid} outlived the run`).toBe(false);
  return { exitCode: result.exitCode, report };
}

describe.skipIf(!probe.available)('workers whose monotonic clocks are seconds apart (time namespaces)', () => {
  it('one host, one namespace: every clock is shared, offset 0, and the latency bound is 0', async () => {
    const { exitCode, report } = await runToReport({});
    expect(exitCode).toBe(0);
    for (const instance of report.instances) {
      expect(instance).toMatchObject({ clock: 'shared', clockOffsetUs: 0, clockUncertaintyUs: 0, clockDriftUs: 0 });
      expect(instance.clockReestimates).toEqual([]);
      // What the ping-pong measured all the same: near 0, within its own bound.
      expect(Math.abs(instance.clockMeasuredOffsetUs!)).toBeLessThanOrEqual(instance.clockRttUs / 2 + 2);
    }
    expect(report.latencyUs.clockErrorBoundUs).toBe(0);
  }, 60_000);

  it(`offsets ${OFFSETS_S.join(', ')} s: corrected, the run matches one without offsets within the bound`, async () => {
    const plain = await runToReport({});
    const { exitCode, report } = await runToReport({ workerTimeOffsetsS: OFFSETS_S, clockReestimateMs: 1000 });
    expect(exitCode, JSON.stringify(report.problems)).toBe(0);
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.totals.lost).toBe(0);
    const bounds: number[] = [];
    report.instances.forEach((instance, index) => {
      // Another time namespace: estimated, and the estimate holds the namespace's true offset within its uncertainty.
      expect(instance.clock).toBe('estimated');
      const trueOffsetUs = OFFSETS_S[index]! * 1_000_000;
      expect(instance.clockUncertaintyUs).toBeGreaterThan(0);
      expect(
        Math.abs(instance.clockOffsetUs - trueOffsetUs),
        `worker ${index}: ${instance.clockOffsetUs} us +- ${instance.clockUncertaintyUs}`,
      ).toBeLessThanOrEqual(instance.clockUncertaintyUs!);
      expect(Math.abs(instance.clockMeasuredOffsetUs! - trueOffsetUs)).toBeLessThanOrEqual(instance.clockRttUs / 2 + 2);
      // Re-estimated during the 4 s window, once a second: each also near the true offset.
      expect(instance.clockReestimates!.length).toBeGreaterThanOrEqual(2);
      for (const again of instance.clockReestimates!)
        expect(Math.abs(again.offsetUs - trueOffsetUs)).toBeLessThanOrEqual(again.uncertaintyUs);
      expect(instance.clockErrorBoundUs).toBe(instance.clockUncertaintyUs! + instance.clockDriftUs!);
      bounds.push(instance.clockErrorBoundUs!);
    });
    const [first, second] = bounds.sort((a, b) => b - a);
    const boundUs = report.latencyUs.clockErrorBoundUs!;
    expect(boundUs).toBe(first! + second!);
    // A bound of a few hundred us at most on one host (half an IPC round trip each), never seconds.
    expect(boundUs).toBeLessThan(20_000);
    // The same latency as without offsets, within the bound plus run-to-run noise (a few ms on a busy host).
    const noiseP50Us = 5_000;
    const noiseP99Us = 30_000;
    expect(Math.abs(report.latencyUs.p50 - plain.report.latencyUs.p50)).toBeLessThanOrEqual(boundUs + noiseP50Us);
    expect(Math.abs(report.latencyUs.p99 - plain.report.latencyUs.p99)).toBeLessThanOrEqual(boundUs + noiseP99Us);
    expect(report.latencyUs.max).toBeLessThan(1_000_000);
    // Every worker's stats closed on the coordinator's interval boundaries: each instance has every measured second.
    report.timeSeries.instances.forEach((series, index) => {
      const measured = series.tMs
        .map((tMs, at) => ({ tMs, delivered: series.delivered[at] }))
        .filter(({ tMs }) => tMs > 0 && tMs <= report.run.durationMs);
      expect(measured).toHaveLength(4);
      for (const interval of measured)
        expect(interval.delivered, `instance ${index} at ${interval.tMs} ms`).toBeGreaterThan(0);
    });
  }, 120_000);

  it('a 2.5 s stop-worker on the +50 s worker, each in its own PID namespace too: the fault report is on one clock', async () => {
    // Re-estimated every second: one burst pings the stopped worker, times out, and its late pong is dropped.
    const { exitCode, report } = await runToReport({ workerTimeOffsetsS: OFFSETS_S, clockReestimateMs: 1000 }, [
      '--procs=3',
      '--rate=300',
      '--duration=6s',
      '--warmup=500ms',
      '--isolate=pidns',
      '--fault=stop-worker@1500ms:2500ms',
      '--fault-target=1',
    ]);
    expect(exitCode, JSON.stringify(report.problems)).toBe(0);
    for (const [index, instance] of report.instances.entries()) {
      expect(instance.pid).toBe(1);
      expect(instance.exit).toBeNull();
      expect(Math.abs(instance.clockOffsetUs - OFFSETS_S[index]! * 1_000_000)).toBeLessThanOrEqual(
        instance.clockUncertaintyUs!,
      );
    }
    const fault = report.faults![0]!;
    expect(fault.status).toBe('injected');
    // Recovery comes from the workers' traces against the coordinator's injection time: about the stall, not 50 s.
    expect(fault.recoveryMs).toBeGreaterThanOrEqual(2400);
    expect(fault.recoveryMs).toBeLessThan(5000);
    expect(fault.lost).toBe(0);
    expect(report.totals.lostOutsideFaults).toBe(0);
    // The stall is the target's own send lag, nobody else's.
    const sendLagMaxUs = report.instances.map((instance) => instance.sendLagUs?.max ?? 0);
    expect(sendLagMaxUs[1]).toBeGreaterThanOrEqual(2_400_000);
    expect(Math.max(sendLagMaxUs[0]!, sendLagMaxUs[2]!)).toBeLessThan(2_400_000);
  }, 120_000);

  it('uncorrected (every worker keeps its own clock), latency is off by the offsets: seconds', async () => {
    const offsetsS = [0, 20, 0];
    const { report } = await runToReport({ workerTimeOffsetsS: offsetsS, clockCorrection: false });
    // The offsets were measured all the same.
    expect(Math.abs(report.instances[1]!.clockOffsetUs - 20_000_000)).toBeLessThanOrEqual(
      report.instances[1]!.clockUncertaintyUs!,
    );
    // Worker 1 reads its peers' intended times on a clock 20 s ahead: everything it received took "20 s".
    expect(report.instances[1]!.latencyUs.p50).toBeGreaterThan(19_000_000);
    expect(report.latencyUs.p99).toBeGreaterThan(19_000_000);
  }, 60_000);
});
