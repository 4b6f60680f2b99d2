// The wall clock the envelope carries: epoch microseconds as an integer, with sub-millisecond resolution.

import { performance } from 'node:perf_hooks';

const timeOriginMs = performance.timeOrigin;

/**
 * Wall-clock time as integer epoch microseconds (`performance.timeOrigin + performance.now()`).
 * Monotonic within one process (it does not follow NTP steps after start), comparable across processes
 * on the same host to within the clocks' skew.
 */
export function nowEpochUs(): number {
  return Math.floor((timeOriginMs + performance.now()) * 1000);
}
