// Sub-millisecond waits for the pacer's last stretch before a due time, where timers (1 ms granularity) are too coarse.

/** A cell nobody ever notifies: Atomics.wait on it is a pure timed sleep. */
const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks this thread for `us` microseconds without burning CPU (a futex timed wait, not a busy poll). It blocks
 * the event loop too: callers keep `us` short (the pacer waits in slices of at most `maxBlockUs`).
 */
export function blockUs(us: number): void {
  if (us > 0) Atomics.wait(cell, 0, 0, us / 1000);
}
