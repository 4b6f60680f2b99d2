// The monotonic clock: integer microseconds of CLOCK_MONOTONIC (process.hrtime), one per host and time namespace.

export type Clock = () => number;

/**
 * Monotonic time in integer microseconds: comparable across processes of one host and time namespace (see
 * clock-domain.ts); a worker elsewhere corrects it by its offset from the clock table (the harness clock).
 */
export const monotonicNowUs: Clock = () => Number(process.hrtime.bigint() / 1000n);
