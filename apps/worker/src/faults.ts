// Faults a worker inflicts on itself on the coordinator's order (--fault): a synchronous stall of its event loop.
import { monotonicNowUs, type Clock } from '@evbridge/protocol';

export interface BlockResult {
  startedUs: number;
  endedUs: number;
}

/**
 * Busy-waits on the monotonic clock for `durationMs`, as a long GC pause or a CPU-bound handler would: no
 * timer, I/O callback or IPC message of this process runs meanwhile. Returns when the stall began and ended.
 */
export function blockEventLoop(durationMs: number, now: Clock = monotonicNowUs): BlockResult {
  const startedUs = now();
  const untilUs = startedUs + durationMs * 1000;
  let nowUs = startedUs;
  while (nowUs < untilUs) nowUs = now();
  return { startedUs, endedUs: nowUs };
}
