// Spreads the workers' schedules over the interval, so N workers at one rate do not all publish at the same instant.

/** The golden ratio's fractional part: multiples of it mod 1 spread any number of workers evenly, without knowing N. */
const GOLDEN_FRACTION = 0.6180339887498949;

/**
 * How long after t0 worker `workerIndex`'s first event is due: a fraction of one interval, frac(index x 0.618).
 * Every worker publishing at t0 + i/rate would make the fleet publish in bursts of N at the same microsecond
 * (and all N receive together); spread, the aggregate stream is close to evenly spaced, like independent
 * producers. Shared by every driver and pacer: the schedule is not what is measured.
 */
export function phaseOffsetUs(workerIndex: number, rateEventsPerSec: number): number {
  const fraction = (workerIndex * GOLDEN_FRACTION) % 1;
  return Math.floor(fraction * (1e6 / rateEventsPerSec));
}
