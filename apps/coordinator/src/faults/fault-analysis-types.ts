// The shapes the fault analysis works on (fault-analysis.ts and its parts), its constants, and its time helper.
import type { FaultRecord, LostRange } from '../model/report.js';
import type { FaultDelivery, FaultKind } from '../model/fault-kinds.js';
import type { WorkerTrace } from './worker-trace.js';

/** Events due this long before an injection may still be in flight when it lands. */
export const FAULT_WINDOW_LEAD_US = 250_000;
/** An interruption or outage starting this long after a fault's span still belongs to it: a worker may notice late. */
export const FAULT_NOTICE_GRACE_US = 250_000;
/** State changes listed per fault at most. */
export const STATE_CHANGES_MAX = 64;

export interface AnalysisFault {
  kind: FaultKind;
  durationMs: number;
  /** On the coordinator's monotonic clock; null when never injected. */
  injectedAtUs: number | null;
  endedAtUs: number | null;
}

export interface AnalysisWorker {
  index: number;
  instanceId: string;
  /** False for a worker a fault killed: no receiver, and pairs with it are not awaited for recovery. */
  survived: boolean;
  trace: WorkerTrace;
  /** The highest sequence number received from each sender id (its final ledger); undefined without a final. */
  maxSeqFrom: ReadonlyMap<string, number> | undefined;
}

export interface FaultAnalysisInput {
  faults: readonly AnalysisFault[];
  workers: readonly AnalysisWorker[];
  lostRanges: readonly LostRange[];
  measureStartUs: number;
  measureEndUs: number;
  /** --delivery: what the verdicts hold the losses to (absent = at-most-once, pub/sub). */
  delivery?: FaultDelivery;
}

export type FaultOutcome = Pick<
  FaultRecord,
  | 'noticed'
  | 'stateChanges'
  | 'recoveryMs'
  | 'recovered'
  | 'slowestPair'
  | 'window'
  | 'lost'
  | 'lostRanges'
  | 'duplicates'
  | 'publishFailed'
  | 'verdict'
>;

export interface FaultAnalysis {
  /** One per input fault, in input order. */
  outcomes: FaultOutcome[];
  /** Lost deliveries outside every fault's window. */
  lostOutside: number;
  /** Publishes that failed in runs starting outside every window. */
  publishFailedOutside: number;
}

export interface Interruption {
  sender: number;
  receiver: number;
  startUs: number;
  endUs: number;
}

/** Time a surviving worker's transport spent away from `ready` (endUs infinite when it never came back). */
export interface Outage {
  worker: number;
  startUs: number;
  endUs: number;
}

/** A fault's window on the coordinator's clock: the losses and duplicates it owns. */
export interface Span {
  fault: number;
  injectedUs: number;
  fromUs: number;
  toUs: number;
}

/** Whole milliseconds after the measured window began. */
export function msAfter(atUs: number, input: Pick<FaultAnalysisInput, 'measureStartUs'>): number {
  return Math.round((atUs - input.measureStartUs) / 1000);
}
