// Every fault kind on real processes and a real private redis-server: 3 workers, 300 events/s, the fault 2 s into a
// 7 s window. Each checks the fault in the report (landed, noticed, recovered within a generous bound, losses only
// inside its window, what Redis's semantics allow), the exit code the thresholds give, and that no worker and no
// redis-server (a restarted one included) outlived the run.
import { describe, expect, it } from 'vitest';
import { pickTarget } from '../src/faults/fault-target.js';
import type { FaultRecord } from '../src/model/report.js';
import { expectLandedAndRecovered, RECOVERY_BOUND, useFaultRuns } from './support/fault-run.js';

const runFault = useFaultRuns('evbridge-fault-kinds-');

/** Every worker saw the fault: its bridge left ready, within a second of the injection. */
function expectNoticedByAll(fault: FaultRecord): void {
  expect(fault.noticed.map((notice) => notice.worker).sort()).toEqual([0, 1, 2]);
  for (const notice of fault.noticed) {
    expect(notice.afterMs).toBeGreaterThanOrEqual(0);
    expect(notice.afterMs).toBeLessThan(1000);
  }
  expect(fault.stateChanges.some((change) => change.state === 'reconnecting')).toBe(true);
  expect(
    fault.stateChanges
      .filter((change) => change.state === 'ready')
      .map((change) => change.worker)
      .sort(),
  ).toEqual([0, 1, 2]);
}

describe('fault kinds on real processes', () => {
  it('kill-worker: the worker picked by --fault-seed dies, the others run on, the run passes', async () => {
    const seed = 4242;
    const run = await runFault('kill-worker', [
      '--fault=kill-worker@2s',
      `--fault-seed=${seed}`,
      `--threshold=${RECOVERY_BOUND}`,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 1000);
    const index = pickTarget(seed, 3);
    const killed = run.report.instances[index]!;
    expect(run.fault.target).toEqual({
      type: 'worker',
      index,
      pid: killed.pid,
      instanceId: killed.instanceId,
      chosenBy: 'seed',
      seed,
    });
    expect(run.fault.detail).toBe(`worker ${index} (pid ${killed.pid}) killed by SIGKILL`);
    expect(killed.exit).toEqual({ exitCode: null, signal: 'SIGKILL', reason: 'killed by fault kill-worker@2s' });
    // It published for about 2 s of the 7 (100 events/s), and is no receiver: what it never published is not lost.
    expect(killed.published).toBeGreaterThan(150);
    expect(killed.published).toBeLessThan(300);
    for (const survivor of run.report.instances.filter((instance) => instance.index !== index)) {
      expect(survivor.exit).toBeNull();
      expect(survivor.published).toBeGreaterThan(650);
      expect(survivor.lost).toBe(0);
    }
    expect(run.report.problems).toEqual([]);
  }, 90_000);

  it('stop-worker: the target stalls for 1 s; its peers hear from it again after about that long; nothing lost', async () => {
    const run = await runFault('stop-worker', [
      '--fault=stop-worker@2s:1s',
      '--fault-target=2',
      `--threshold=${RECOVERY_BOUND}`,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 4000);
    expect(run.fault.target).toMatchObject({ type: 'worker', index: 2, chosenBy: 'option', seed: null });
    expect(run.fault.detail).toMatch(/^worker 2 \(pid \d+\) stopped for \d+ ms$/);
    expect(run.fault.recoveryMs).toBeGreaterThanOrEqual(900);
    // The stall is the target's: its own publishes were a stop late (send lag), and no other worker's were. Which pair
    // resumed last (slowestPair) is not asserted: a load blip after SIGCONT may end a moment after the target's pairs.
    expect(run.fault.slowestPair).not.toBeNull();
    const sendLagMaxUs = run.report.instances.map((instance) => instance.sendLagUs?.max ?? 0);
    expect(sendLagMaxUs[2]).toBeGreaterThanOrEqual(900_000);
    expect(Math.max(sendLagMaxUs[0]!, sendLagMaxUs[1]!)).toBeLessThan(900_000);
    expect(run.fault.lost).toBe(0);
    expect(run.report.instances.every((instance) => instance.exit === null)).toBe(true);
  }, 90_000);

  it('restart-redis: Redis down for 1 s on the same port; every bridge notices, reconnects, resubscribes', async () => {
    const run = await runFault('restart-redis', ['--fault=restart-redis@2s:1s', `--threshold=${RECOVERY_BOUND}`]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 5000);
    expectNoticedByAll(run.fault);
    expect(run.redisPids).toHaveLength(2);
    expect(run.fault.detail).toMatch(
      /^redis-server pid \d+ stopped in \d+ ms, down for \d+ ms until pid \d+ answered on the same port$/,
    );
    expect(run.fault.recoveryMs).toBeGreaterThanOrEqual(1000);
    // What the bridge does with publishes while it reconnects is its policy (fail fast today): either way they are
    // accounted for, as failed publishes or as events in the window.
    expect(run.fault.publishFailed).toBeGreaterThanOrEqual(0);
    // Each of the three figures is rounded to the millisecond on its own: their sum may exceed the window's end by 1.
    expect(run.fault.window!.toMs).toBeGreaterThanOrEqual(run.fault.injectedAtMs! + run.fault.recoveryMs! - 1);
  }, 90_000);

  it('pause-redis: nothing lost, recovery about the pause; recovery<100ms fails the run with exit 1', async () => {
    const run = await runFault('pause-redis', [
      '--fault=pause-redis@2s:1s',
      `--threshold=${RECOVERY_BOUND}`,
      '--threshold=recovery<100ms',
    ]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.report.passed).toBe(false);
    expect(run.report.thresholds.find((threshold) => threshold.expression === 'recovery<100ms')).toMatchObject({
      passed: false,
    });
    expect(run.report.thresholds.find((threshold) => threshold.expression === RECOVERY_BOUND)).toMatchObject({
      passed: true,
    });
    const { fault } = run;
    expect(fault.status).toBe('injected');
    expect(fault.recovered).toBe(true);
    expect(fault.recoveryMs).toBeGreaterThanOrEqual(900);
    expect(fault.recoveryMs).toBeLessThan(4000);
    expect(fault.lost).toBe(0);
    expect(fault.duplicates).toBe(0);
    expect(run.report.totals.lost).toBe(0);
  }, 90_000);

  it('kill-subscribers: every subscriber dropped; every bridge resubscribes; losses only inside the window', async () => {
    const run = await runFault('kill-subscribers', ['--fault=kill-subscribers@2s', `--threshold=${RECOVERY_BOUND}`]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 3000);
    expectNoticedByAll(run.fault);
    expect(run.fault.detail).toBe('CLIENT KILL TYPE pubsub closed 3 subscriber connections');
    expect(run.fault.duplicates).toBe(0);
  }, 90_000);

  it('kill-publishers: every bridge publisher connection dropped mid-flight; each reconnects', async () => {
    const run = await runFault('kill-publishers', ['--fault=kill-publishers@2s', `--threshold=${RECOVERY_BOUND}`]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 3000);
    expectNoticedByAll(run.fault);
    expect(run.fault.detail).toBe('CLIENT KILL closed 3 of 3 publishing connections');
  }, 90_000);

  it('slow-consumer: Redis closes the stalled subscriber for its output buffer; it loses events, resubscribes', async () => {
    // 16 KiB events: the kernel's socket buffers (~4 MB on loopback) fill in about a second, then Redis's limit trips.
    const run = await runFault('slow-consumer', [
      '--fault=slow-consumer@2s:5s',
      '--fault-target=1',
      '--payload=16kb',
      `--threshold=${RECOVERY_BOUND}`,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expectLandedAndRecovered(run, 6000);
    expect(run.fault.detail).toMatch(
      /^Redis closed worker 1's subscriber \d+ ms into the stall \(output buffer over pubsub 1048576 0 0\); limit restored, worker continued$/,
    );
    expect(run.fault.noticed.find((notice) => notice.worker === 1)?.how).toBe('state ready -> reconnecting');
    // Only the stalled consumer lost events, and only its peers' (Redis discarded its output buffer).
    expect(run.fault.lost).toBeGreaterThan(0);
    expect(run.fault.lostRanges.every((range) => range.receiver === 1)).toBe(true);
  }, 90_000);
});
