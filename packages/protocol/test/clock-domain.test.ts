// Which clock a process reads: this one's from /proc, and when two share one.
import { readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clockDomain, sharesClock } from '../src/clock-domain.js';

describe('clockDomain', () => {
  it.skipIf(process.platform !== 'linux')("names this host's boot and this process's time namespace", () => {
    expect(clockDomain()).toEqual({
      bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
      timeNamespace: readlinkSync('/proc/self/ns/time'),
    });
  });

  it('shares a clock only when both are known and equal', () => {
    const a = { bootId: 'b1', timeNamespace: 'time:[1]' };
    expect(sharesClock(a, { ...a })).toBe(true);
    expect(sharesClock(a, { bootId: 'b2', timeNamespace: 'time:[1]' })).toBe(false);
    expect(sharesClock(a, { bootId: 'b1', timeNamespace: 'time:[2]' })).toBe(false);
    expect(sharesClock(a, { bootId: 'b1' })).toBe(false);
    expect(sharesClock({}, {})).toBe(false);
    expect(sharesClock({ bootId: 'b1' }, { bootId: 'b1' })).toBe(false);
  });
});
