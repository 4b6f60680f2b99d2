// The harness clock: integer microseconds of CLOCK_MONOTONIC (process.hrtime), shared by every process of a host.

export type Clock = () => number;

/** Monotonic time in integer microseconds. Comparable across processes on one Linux host. */
export const monotonicNowUs: Clock = () => Number(process.hrtime.bigint() / 1000n);
