import { LatencyRecorder, SequenceLedger } from '@evbridge/metrics';
import { describe, expect, it } from 'vitest';
import { accountDeliveries } from '../src/report/delivery.js';
import type { WorkerRecord } from '../src/model/worker-record.js';
import { emptyBridgeCounters, emptyWindowCounters } from '@evbridge/protocol';
import { zeroFinalResources } from './support/final-resources.js';

function ledgerOf(seqs: number[]): unknown {
  const ledger = new SequenceLedger();
  for (const seq of seqs) ledger.record(seq);
  return ledger.toJSON();
}

function record(index: number, first: number, last: number, ledger: Record<string, unknown> | undefined): WorkerRecord {
  const window = emptyWindowCounters();
  return {
    index,
    pid: 100 + index,
    instanceId: `i${index}`,
    stopped: { type: 'stopped', firstMeasuredSeq: first, lastMeasuredSeq: last, window },
    final: ledger && {
      type: 'final',
      drained: true,
      window,
      bridge: emptyBridgeCounters(),
      ledger,
      histograms: {
        latencyUs: new LatencyRecorder(),
        transitLatencyUs: new LatencyRecorder(),
        sendLagUs: new LatencyRecorder(),
        eventLoopDelayUs: new LatencyRecorder(),
      },
      resources: zeroFinalResources(),
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('accountDeliveries', () => {
  it('counts every pair and finds nothing lost when every ledger is complete', () => {
    // Warm-up seqs (0..4) are not in the measured range 5..14 and must not count.
    const records = [
      record(0, 5, 14, { i1: ledgerOf(range(5, 14)), i2: ledgerOf(range(5, 14)) }),
      record(1, 5, 14, { i0: ledgerOf(range(5, 14)), i2: ledgerOf(range(5, 14)) }),
      record(2, 5, 14, { i0: ledgerOf(range(5, 14)), i1: ledgerOf(range(5, 14)) }),
    ];
    const result = accountDeliveries(records);
    expect(result).toMatchObject({ expected: 60, delivered: 60, lost: 0, lostRanges: [] });
  });

  it('names the exact lost ranges per (sender, receiver), head, middle and tail', () => {
    const records = [
      record(0, 0, 9, { i1: ledgerOf([1, 2, 3, 6, 7]) }),
      record(1, 0, 9, { i0: ledgerOf(range(0, 9)) }),
    ];
    const result = accountDeliveries(records);
    expect(result.expected).toBe(20);
    expect(result.lost).toBe(5);
    expect(result.lostRanges).toEqual([
      { sender: 1, receiver: 0, seqFrom: 0, seqTo: 0, count: 1 },
      { sender: 1, receiver: 0, seqFrom: 4, seqTo: 5, count: 2 },
      { sender: 1, receiver: 0, seqFrom: 8, seqTo: 9, count: 2 },
    ]);
    expect(result.byReceiver.get(0)).toEqual({ expected: 10, delivered: 5, lost: 5 });
  });

  it('counts a receiver with no final report as having lost everything, and says so', () => {
    const records = [record(0, 0, 4, undefined), record(1, 0, 4, { i0: ledgerOf(range(0, 4)) })];
    const result = accountDeliveries(records);
    expect(result.unknownReceivers).toEqual([0]);
    expect(result.lost).toBe(5);
  });

  it('expects nothing from a sender that published nothing measured', () => {
    const records = [record(0, -1, -2, { i1: ledgerOf([0, 1, 2]) }), record(1, 0, 2, { i0: ledgerOf([]) })];
    const result = accountDeliveries(records);
    expect(result.byReceiver.get(1)).toEqual({ expected: 0, delivered: 0, lost: 0 });
    expect(result.byReceiver.get(0)).toEqual({ expected: 3, delivered: 3, lost: 0 });
    expect(result.lost).toBe(0);
  });
});
