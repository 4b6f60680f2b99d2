// Which monotonic clock a process reads: its host's boot and its time namespace. Two processes with both equal read
// one CLOCK_MONOTONIC; otherwise (another host, another time namespace, or /proc silent) the offset is estimated.
import { readFileSync, readlinkSync } from 'node:fs';

export interface ClockDomain {
  /** /proc/sys/kernel/random/boot_id: one per boot of one kernel (undefined where /proc lacks it). */
  bootId?: string;
  /** /proc/self/ns/time, e.g. `time:[4026531834]` (undefined before Linux 5.6 or off Linux). */
  timeNamespace?: string;
}

function read(what: () => string): string | undefined {
  try {
    const value = what().trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/** This process's clock domain, as /proc tells it. */
export function clockDomain(): ClockDomain {
  const bootId = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const timeNamespace = read(() => readlinkSync('/proc/self/ns/time'));
  return { ...(bootId === undefined ? {} : { bootId }), ...(timeNamespace === undefined ? {} : { timeNamespace }) };
}

/**
 * True only when both are known and equal for both: the same kernel boot and the same time namespace read one
 * CLOCK_MONOTONIC, so the offset is exactly 0. Anything unknown is not shared (it is estimated instead).
 */
export function sharesClock(a: ClockDomain, b: ClockDomain): boolean {
  return (
    a.bootId !== undefined &&
    a.timeNamespace !== undefined &&
    a.bootId === b.bootId &&
    a.timeNamespace === b.timeNamespace
  );
}
