// Exact delivery accounting across the fleet: each receiver's ledger against each sender's measured range.
import { SequenceLedger } from '@evbridge/metrics';
import type { WorkerRecord } from '../model/worker-record.js';
import type { DeliveryMatrix, LostRange } from '../model/report.js';

export interface PairwiseDelivery {
  expected: number;
  delivered: number;
  lost: number;
  lostRanges: LostRange[];
  /** Per worker index: what it received from peers and what it missed. */
  byReceiver: Map<number, { expected: number; delivered: number; lost: number }>;
  /** Receivers whose ledger is unknown (no final): their expected deliveries count as lost. */
  unknownReceivers: number[];
  /** Per worker index: the measured range it is accounted for as a sender (undefined when unknown). */
  rangeBySender: Map<number, { first: number; last: number; count: number } | undefined>;
  /** Per (sender, receiver) pair, counted in the same pass; null where a pair is not accounted (see DeliveryMatrix). */
  matrix: DeliveryMatrix;
}

/** Measured sequence range of a sender, or undefined when it never reported one. */
export function measuredRange(record: WorkerRecord): { first: number; last: number; count: number } | undefined {
  const stopped = record.stopped ?? undefined;
  if (!stopped) return undefined;
  const { firstMeasuredSeq: first, lastMeasuredSeq: last } = stopped;
  return { first, last, count: last >= first && first >= 0 ? last - first + 1 : 0 };
}

/** What the accounting knows of the workers a fault killed on purpose (kill-worker). */
export interface KilledWorkers {
  /** Their indexes: none is a receiver (its receiving ended by design), each is still a sender. */
  indexes: ReadonlySet<number>;
  /** From its stats (fault trace): first measured seq it took and last one Redis acknowledged, -1 when unknown. */
  publishedSeqs(index: number): { firstMeasuredSeq: number; lastAckedSeq: number };
}

/**
 * The measured range of a worker killed on purpose. It sent no `stopped`, so its range ends at the last of its
 * events that was surely published: the highest seq any other worker received from it, or the last its stats said
 * Redis acknowledged. An event it was still publishing when it died that no one received and Redis never
 * acknowledged cannot be told from one it never sent: neither is counted (it is not lost, it was never published).
 */
export function killedRange(
  record: WorkerRecord,
  records: readonly WorkerRecord[],
  seqs: { firstMeasuredSeq: number; lastAckedSeq: number },
): { first: number; last: number; count: number } | undefined {
  let lowestReceived = -1;
  let last = seqs.lastAckedSeq;
  for (const receiver of records) {
    const snapshot = record.instanceId === undefined ? undefined : receiver.final?.ledger[record.instanceId];
    if (snapshot === undefined) continue;
    const ledger = SequenceLedger.fromJSON(snapshot);
    const lowest = ledger.toJSON().intervals[0]?.[0];
    if (lowest !== undefined && (lowestReceived < 0 || lowest < lowestReceived)) lowestReceived = lowest;
    last = Math.max(last, ledger.maxSeq);
  }
  // Killed before its first stats: what its peers received is all there is to go by.
  const first = seqs.firstMeasuredSeq >= 0 ? seqs.firstMeasuredSeq : lowestReceived;
  if (first < 0 || last < first) return undefined;
  return { first, last, count: last - first + 1 };
}

export function accountDeliveries(records: readonly WorkerRecord[], killed?: KilledWorkers): PairwiseDelivery {
  const result: PairwiseDelivery = {
    expected: 0,
    delivered: 0,
    lost: 0,
    lostRanges: [],
    byReceiver: new Map(),
    unknownReceivers: [],
    rangeBySender: new Map(),
    matrix: {
      delivered: records.map(() => records.map(() => null)),
      lost: records.map(() => records.map(() => null)),
    },
  };
  const ranges = new Map(
    records.map((sender) => [
      sender.index,
      killed?.indexes.has(sender.index)
        ? killedRange(sender, records, killed.publishedSeqs(sender.index))
        : measuredRange(sender),
    ]),
  );
  for (const receiver of records) {
    const row = { expected: 0, delivered: 0, lost: 0 };
    result.byReceiver.set(receiver.index, row);
    if (killed?.indexes.has(receiver.index)) continue;
    if (!receiver.final) result.unknownReceivers.push(receiver.index);
    for (const sender of records) {
      if (sender === receiver) continue;
      result.matrix.delivered[sender.index]![receiver.index] = 0;
      result.matrix.lost[sender.index]![receiver.index] = 0;
      if (!sender.instanceId) continue;
      const range = ranges.get(sender.index);
      if (!range || range.count === 0) continue;
      row.expected += range.count;
      const snapshot = receiver.final?.ledger[sender.instanceId];
      const ledger = snapshot === undefined ? new SequenceLedger() : SequenceLedger.fromJSON(snapshot);
      const missing = ledger.missing(range.first, range.last);
      row.delivered += range.count - missing.count;
      row.lost += missing.count;
      result.matrix.delivered[sender.index]![receiver.index] = range.count - missing.count;
      result.matrix.lost[sender.index]![receiver.index] = missing.count;
      for (const [seqFrom, seqTo] of missing.ranges) {
        result.lostRanges.push({
          sender: sender.index,
          receiver: receiver.index,
          seqFrom,
          seqTo,
          count: seqTo - seqFrom + 1,
        });
      }
    }
    result.expected += row.expected;
    result.delivered += row.delivered;
    result.lost += row.lost;
  }
  result.rangeBySender = ranges;
  return result;
}
