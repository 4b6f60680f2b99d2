// The report's clock figures: each instance's clock (shared or estimated, offset, uncertainty, drift seen during the
// run) and the error bound they put on every latency, which compares a receiver's clock with a sender's.
import type { InstanceRow } from '../model/report.js';
import type { WorkerClock, WorkerRecord } from '../model/worker-record.js';

type ClockFields = Required<
  Pick<
    InstanceRow,
    | 'clock'
    | 'clockOffsetUs'
    | 'clockUncertaintyUs'
    | 'clockRttUs'
    | 'clockMeasuredOffsetUs'
    | 'clockDriftUs'
    | 'clockErrorBoundUs'
    | 'clockReestimates'
  >
>;

/** The largest change a re-estimate saw against the offset in use then. */
export function clockDriftUs(clock: WorkerClock): number {
  return Math.max(0, ...clock.reestimates.map((entry) => Math.abs(entry.offsetUs - entry.previousOffsetUs)));
}

/**
 * How far this instance's harness clock may be from the coordinator's at any time of the run: the uncertainty of
 * the offsets it used, plus the largest move a re-estimate saw (the clocks may drift that much between estimates).
 */
export function instanceClockErrorUs(clock: WorkerClock | undefined): number {
  if (clock === undefined) return 0;
  return clock.maxUncertaintyUs + clockDriftUs(clock);
}

export function clockFields(record: WorkerRecord): ClockFields {
  const clock = record.clock;
  if (clock === undefined) {
    return {
      clock: 'unmeasured',
      clockOffsetUs: 0,
      clockUncertaintyUs: 0,
      clockRttUs: 0,
      clockMeasuredOffsetUs: 0,
      clockDriftUs: 0,
      clockErrorBoundUs: 0,
      clockReestimates: [],
    };
  }
  return {
    clock: clock.kind,
    clockOffsetUs: clock.offsetUs,
    clockUncertaintyUs: clock.maxUncertaintyUs,
    clockRttUs: clock.rttUs,
    clockMeasuredOffsetUs: clock.measuredOffsetUs,
    clockDriftUs: clockDriftUs(clock),
    clockErrorBoundUs: instanceClockErrorUs(clock),
    clockReestimates: clock.reestimates.map(({ atMs, offsetUs, uncertaintyUs, applied }) => ({
      atMs,
      offsetUs,
      uncertaintyUs,
      applied,
    })),
  };
}

/**
 * The error bound of a latency figure: a latency is the receiver's clock at arrival minus the sender's at the
 * intended time, each off the coordinator's by at most its instance's error, so the largest sum over two distinct
 * instances bounds them all (0 with fewer than two instances, or every clock shared).
 */
export function latencyClockErrorBoundUs(records: readonly WorkerRecord[]): number {
  const errors = records.map((record) => instanceClockErrorUs(record.clock)).sort((a, b) => b - a);
  return errors.length < 2 ? 0 : errors[0]! + errors[1]!;
}
