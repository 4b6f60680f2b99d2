// Exact delivery accounting across the fleet: each receiver's ledger against each sender's measured range.
import { SequenceLedger } from '@evbridge/metrics';
import type { WorkerRecord } from '../run/context.js';
import type { LostRange } from './types.js';

export interface PairwiseDelivery {
  expected: number;
  delivered: number;
  lost: number;
  lostRanges: LostRange[];
  /** Per worker index: what it received from peers and what it missed. */
  byReceiver: Map<number, { expected: number; delivered: number; lost: number }>;
  /** Receivers whose ledger is unknown (no final): their expected deliveries count as lost. */
  unknownReceivers: number[];
}

/** Measured sequence range of a sender, or undefined when it never reported one. */
export function measuredRange(record: WorkerRecord): { first: number; last: number; count: number } | undefined {
  const stopped = record.stopped ?? undefined;
  if (!stopped) return undefined;
  const { firstMeasuredSeq: first, lastMeasuredSeq: last } = stopped;
  return { first, last, count: last >= first && first >= 0 ? last - first + 1 : 0 };
}

export function accountDeliveries(records: readonly WorkerRecord[]): PairwiseDelivery {
  const result: PairwiseDelivery = {
    expected: 0,
    delivered: 0,
    lost: 0,
    lostRanges: [],
    byReceiver: new Map(),
    unknownReceivers: [],
  };
  for (const receiver of records) {
    const row = { expected: 0, delivered: 0, lost: 0 };
    result.byReceiver.set(receiver.index, row);
    if (!receiver.final) result.unknownReceivers.push(receiver.index);
    for (const sender of records) {
      if (sender === receiver || !sender.instanceId) continue;
      const range = measuredRange(sender);
      if (!range || range.count === 0) continue;
      row.expected += range.count;
      const snapshot = receiver.final?.ledger[sender.instanceId];
      const ledger = snapshot === undefined ? new SequenceLedger() : SequenceLedger.fromJSON(snapshot);
      const missing = ledger.missing(range.first, range.last);
      row.delivered += range.count - missing.count;
      row.lost += missing.count;
      for (const [seqFrom, seqTo] of missing.ranges) {
        result.lostRanges.push({ sender: sender.index, receiver: receiver.index, seqFrom, seqTo, count: seqTo - seqFrom + 1 });
      }
    }
    result.expected += row.expected;
    result.delivered += row.delivered;
    result.lost += row.lost;
  }
  return result;
}
