// What the coordinator learns about one worker as the run goes: the messages it sent, as parsed (histograms decoded).
import type { WorkerMessageOf } from '@evbridge/protocol';

/** What the coordinator learns about one worker as the run goes. */
export interface WorkerRecord {
  index: number;
  pid: number;
  hello?: WorkerMessageOf<'hello'>;
  instanceId?: string;
  host?: string;
  /** The driver's Redis connections by name, from its ready message (empty when the driver names none). */
  connections?: WorkerMessageOf<'ready'>['connections'];
  /** The worker's clock against the coordinator's: set by the clock phase, updated by re-estimates during the run. */
  clock?: WorkerClock;
  lastStats?: WorkerMessageOf<'stats'>;
  stopped?: WorkerMessageOf<'stopped'>;
  final?: WorkerMessageOf<'final'>;
  /** IPC messages the worker sent from the start message to the end of the measured window, and that span. */
  ipc?: { messages: number; durationMs: number };
}

/**
 * `shared`: same kernel boot and time namespace as the coordinator (one CLOCK_MONOTONIC), offset exactly 0;
 * `estimated`: offset from the quickest of many ping-pongs, within +- half that round trip.
 */
export type ClockKind = 'shared' | 'estimated';

/** One worker's clock against the coordinator's. */
export interface WorkerClock {
  kind: ClockKind;
  /** Worker clock minus coordinator clock in use now (in the worker's row of the clock table): 0 when shared. */
  offsetUs: number;
  /** The true offset lies within offsetUs +- uncertaintyUs (at the estimate); 0 when shared. */
  uncertaintyUs: number;
  /** The largest uncertainty of any offset this worker used during the run. */
  maxUncertaintyUs: number;
  /** Round trip of the quickest ping-pong of the first estimate. */
  rttUs: number;
  /** What the first estimate measured, whatever the kind: for a shared clock a check that should be near 0. */
  measuredOffsetUs: number;
  /** Estimates taken during the measured window (estimated clocks only), in time order. */
  reestimates: ClockReestimate[];
}

/** A re-estimate during the run. */
export interface ClockReestimate {
  /** When, ms after measurement started. */
  atMs: number;
  offsetUs: number;
  uncertaintyUs: number;
  rttUs: number;
  /** The offset in use when it was taken. */
  previousOffsetUs: number;
  /** True when it moved the offset by more than its uncertainty, so the worker got it in a new clock table. */
  applied: boolean;
}
