// The faults as the report shows them: each planned fault with what it did (faults/fault-analysis.ts), and what lies outside
// every fault's window; and the workers a fault killed, as delivery accounting needs to know them.
import { SequenceLedger } from '@evbridge/metrics';
import { analyzeFaults } from '../faults/fault-analysis.js';
import type { FaultRunReport } from '../faults/fault-run.js';
import { WorkerTrace } from '../faults/worker-trace.js';
import type { FaultRecord, LostRange } from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';
import type { KilledWorkers } from './delivery.js';

export interface ReportedFaults {
  records: FaultRecord[];
  /** Lost deliveries outside every fault's window. */
  lostOutside: number;
  /** Publishes refused or failed outside every fault's window. */
  publishFailedOutside: number;
}

/** The workers a fault killed on purpose, with the range of events their stats said they published; undefined when none. */
export function killedWorkers(faultRun: FaultRunReport | undefined): KilledWorkers | undefined {
  if (faultRun === undefined || faultRun.killed.size === 0) return undefined;
  return {
    indexes: new Set(faultRun.killed.keys()),
    publishedSeqs: (index) => ({
      firstMeasuredSeq: faultRun.traces[index]?.firstMeasuredSeq ?? -1,
      lastAckedSeq: faultRun.traces[index]?.lastAckedSeq ?? -1,
    }),
  };
}

export function reportFaults(
  faultRun: FaultRunReport,
  records: readonly WorkerRecord[],
  lostRanges: readonly LostRange[],
  failedWorkers: ReadonlyMap<number, string>,
): ReportedFaults {
  const analysis = analyzeFaults({
    faults: faultRun.timings,
    workers: records.map((record) => ({
      index: record.index,
      instanceId: record.instanceId ?? '',
      survived: !faultRun.killed.has(record.index) && !failedWorkers.has(record.index),
      trace: faultRun.traces[record.index] ?? new WorkerTrace(),
      maxSeqFrom: record.final
        ? new Map(
            Object.entries(record.final.ledger).map(([sender, snapshot]) => [
              sender,
              SequenceLedger.fromJSON(snapshot).maxSeq,
            ]),
          )
        : undefined,
    })),
    lostRanges,
    measureStartUs: faultRun.measureStartUs,
    measureEndUs: faultRun.measureEndUs,
    delivery: faultRun.delivery,
  });
  return {
    records: faultRun.records.map((record, index) => ({ ...record, ...analysis.outcomes[index]! })),
    lostOutside: analysis.lostOutside,
    publishFailedOutside: analysis.publishFailedOutside,
  };
}

/** The faults when any was planned: a run with faults judges unpublished events by window. */
export function plannedFaults(faults: ReportedFaults | undefined): ReportedFaults | undefined {
  return faults !== undefined && faults.records.length > 0 ? faults : undefined;
}
