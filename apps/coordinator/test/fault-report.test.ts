// The faults in the report: the rendered section, and which Redis can take which fault.
import { describe, expect, it } from 'vitest';
import { redisAtLeast, redisCannotTake } from '../src/faults/fault-injection.js';
import { renderReport } from '../src/render/report.js';
import type { FaultRecord } from '../src/model/report.js';
import { faultReport, sampleReport } from './fixtures/sample-report.js';

/** The Faults section of a rendered report, line by line. */
function faultLines(text: string): string[] {
  const start = text.indexOf('Faults (');
  expect(start, 'the report has a Faults section').toBeGreaterThanOrEqual(0);
  return text.slice(start).split('\n\n')[0]!.split('\n');
}

describe('faults section', () => {
  it('lists each fault (kind, named target, times, who noticed, recovery, losses, verdict), then its details', () => {
    const report = faultReport();
    const lines = faultLines(renderReport(report));
    const pid = report.instances[2]!.pid;
    expect(lines).toEqual([
      'Faults (2)',
      expect.stringMatching(
        /^  kind +target +at +for +injected at +noticed +recovery +lost +dup +failed pub +Redis allows$/,
      ),
      expect.stringMatching(/^  kill-subscribers +redis +10s +- +10\.001s +1 of 5 +66ms +6 +0 +17 +yes$/),
      expect.stringMatching(
        new RegExp(`^  kill-worker +worker 2 \\(pid ${pid}\\) +20s +- +20s +0 of 5 +0s +0 +0 +0 +yes$`),
      ),
      '  kill-subscribers@10s on redis: CLIENT KILL TYPE pubsub closed 5 subscriber connections',
      '    noticed: worker 1 after 2ms (state ready -> reconnecting)',
      '    recovered 66ms after the injection (last: worker 0 -> worker 1); its window: events due 9.751s to 10.067s',
      '    lost 6 in 2 ranges (sender->receiver #seq): 0->1 #2410-2412, 3->1 #2407-2409',
      '    6 lost, allowed: pub/sub is at most once; no duplicates',
      `  kill-worker@20s on worker 2 (pid ${pid}) (picked at random: --fault-seed 285567710): worker 2 (pid ${pid}) killed by SIGKILL`,
      '    noticed by no worker (no state change, no failed publish)',
      '    interrupted no surviving pair; its window: events due 19.75s to 20.004s',
      '    nothing lost; no duplicates',
      '  lost outside every fault window: 0',
    ]);
  });

  it('says when a fault never landed, failed, never recovered or lost what Redis does not allow', () => {
    const report = faultReport();
    const base = report.faults![0]!;
    const notReached: FaultRecord = {
      ...base,
      kind: 'pause-redis',
      atMs: 29_000,
      durationMs: 500,
      injectedAtMs: null,
      endedAtMs: null,
      status: 'not-reached',
    };
    const failed: FaultRecord = {
      ...base,
      kind: 'slow-consumer',
      status: 'failed',
      error: 'Redis did not close it',
      detail: null,
    };
    const stuck: FaultRecord = { ...base, kind: 'restart-redis', durationMs: 2000, recovered: false, recoveryMs: null };
    const violation: FaultRecord = {
      ...base,
      kind: 'pause-redis',
      durationMs: 1000,
      verdict: { allowed: false, explanation: '6 lost, not allowed: ...' },
    };
    report.faults = [notReached, failed, stuck, violation];
    report.totals.lostOutsideFaults = 3;
    const lines = faultLines(renderReport(report));
    expect(lines[2]).toMatch(/^  pause-redis +redis +29s +500ms +not reached: the run ended first +- +- +- +- +- +-$/);
    expect(lines[3]).toMatch(/^  slow-consumer +redis +10s +- +failed: Redis did not close it +1 of 5 +66ms/);
    expect(lines[4]).toMatch(/^  restart-redis +redis +10s +2s +10\.001s +1 of 5 +never +6/);
    expect(lines[5]).toMatch(/^  pause-redis +redis +10s +1s +10\.001s .* NO$/);
    expect(lines).toContain('    did not recover before the run ended; its window: events due 9.751s to 10.067s');
    expect(lines).toContain('    NOT ALLOWED: 6 lost, not allowed: ...');
    expect(lines).toContainEqual(expect.stringMatching(/^  slow-consumer@10s:\S+ on redis: Redis did not close it$/));
    expect(lines[lines.length - 1]).toBe('  lost outside every fault window: 3 (see Lost ranges): the run fails');
    expect(lines.join('\n')).not.toContain('pause-redis@29s');
  });

  it('is left out when the run injected no fault', () => {
    const report = sampleReport();
    const without = renderReport(report);
    expect(without).not.toContain('Faults');
    report.faults = [];
    expect(renderReport(report)).toBe(without);
    expect(without).not.toMatch(/\n\n\n/);
  });
});

describe('which Redis can take which fault', () => {
  it('compares dotted versions', () => {
    expect(redisAtLeast('7.0.15', [6, 2, 0])).toBe(true);
    expect(redisAtLeast('6.2.0', [6, 2, 0])).toBe(true);
    expect(redisAtLeast('6.0.20', [6, 2, 0])).toBe(false);
    expect(redisAtLeast('5.0.14', [6, 2, 0])).toBe(false);
    expect(redisAtLeast('10.0', [6, 2, 0])).toBe(true);
    expect(redisAtLeast('unknown', [6, 2, 0])).toBe(true);
  });

  it('refuses pause-redis-writes before Redis 6.2 with the fix', () => {
    expect(redisCannotTake('pause-redis-writes', '7.0.15')).toBeUndefined();
    expect(redisCannotTake('pause-redis', '5.0.14')).toBeUndefined();
    expect(redisCannotTake('block-worker', '5.0.14')).toBeUndefined();
    expect(redisCannotTake('pause-redis-writes', '6.0.20')).toBe(
      '--fault pause-redis-writes needs Redis >= 6.2 (CLIENT PAUSE ... WRITE); this Redis is 6.0.20: use pause-redis or a newer Redis',
    );
  });
});
