// The faults in the report: the rendered section, and which Redis can take which fault.
import { describe, expect, it } from 'vitest';
import { redisAtLeast, redisCannotTake } from '../src/faults/fault-injection.js';
import { renderReport } from '../src/render/report.js';
import type { FaultRecord } from '../src/report/types.js';
import { sampleReport } from './fixtures/sample-report.js';

const blocked: FaultRecord = {
  kind: 'block-worker',
  target: { type: 'worker', index: 1, pid: 4242, instanceId: 'vm:4242:abc' },
  atMs: 1000,
  durationMs: 500,
  injectedAtMs: 1001,
  status: 'injected',
  error: null,
};

describe('faults section', () => {
  it('lists each fault: kind, named target, planned time, duration, and when it landed', () => {
    const report = sampleReport();
    report.faults = [
      blocked,
      { ...blocked, kind: 'pause-redis-writes', target: { type: 'redis', url: 'redis://127.0.0.1:6379' }, atMs: 2000, injectedAtMs: 2003 },
      { ...blocked, kind: 'pause-redis', target: { type: 'redis', url: 'redis://127.0.0.1:6379' }, atMs: 9000, injectedAtMs: null, status: 'not-reached' },
      { ...blocked, atMs: 3000, injectedAtMs: 3000, status: 'failed', error: 'worker 1 (pid 4242) cannot be sent "fault": it was killed by SIGKILL' },
    ];
    const text = renderReport(report);
    const section = text.slice(text.indexOf('Faults (4)'));
    const lines = section.split('\n\n')[0]!.split('\n');
    expect(lines).toEqual([
      'Faults (4)',
      expect.stringMatching(/^  kind +target +at +for +injected at$/),
      expect.stringMatching(/^  block-worker +worker 1 \(pid 4242\) +1s +500ms +1\.001s$/),
      expect.stringMatching(/^  pause-redis-writes +redis +2s +500ms +2\.003s$/),
      expect.stringMatching(/^  pause-redis +redis +9s +500ms +not reached: the run ended first$/),
      expect.stringMatching(/^  block-worker +worker 1 \(pid 4242\) +3s +500ms +failed: worker 1 .* killed by SIGKILL$/),
    ]);
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
