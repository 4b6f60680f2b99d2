// The run's totals: the instances' rows summed, the counters rows do not show, exact delivery, and their ratios.
import type { DriverCapabilities } from '@evbridge/driver';
import type { InstanceRow, Totals } from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';
import type { PairwiseDelivery } from './delivery.js';
import { plannedFaults, type ReportedFaults } from './fault-records.js';
import { windowOf } from './instance-row.js';

export function countTotals(
  records: readonly WorkerRecord[],
  rows: readonly InstanceRow[],
  delivery: PairwiseDelivery,
  faults: ReportedFaults | undefined,
  capabilities: Pick<DriverCapabilities, 'ownEchoes'>,
  deliveryMode: 'at-most-once' | 'at-least-once' = 'at-most-once',
): Totals {
  const sumRows = (pick: (row: InstanceRow) => number): number => rows.reduce((sum, row) => sum + pick(row), 0);
  const sumRecords = (pick: (record: WorkerRecord) => number): number =>
    records.reduce((sum, record) => sum + pick(record), 0);
  const scheduled = sumRows((row) => row.scheduled);
  const published = sumRows((row) => row.published);
  const refused = sumRows((row) => row.refused);
  const publishFailed = sumRows((row) => row.publishFailed);
  const arrivals = sumRows((row) => row.arrivals);
  const selfEchoesFiltered = sumRows((row) => row.selfEchoesFiltered);
  const planned = plannedFaults(faults);
  return {
    scheduled,
    published,
    refused,
    publishFailed,
    publishRatio: scheduled === 0 ? 1 : published / scheduled,
    // A fault run's unpublished events are judged by window (each fault owns those of its window); otherwise all count.
    unpublishedOutsideFaults: planned === undefined ? refused + publishFailed : planned.publishFailedOutside,
    expectedDeliveries: delivery.expected,
    delivered: delivery.delivered,
    arrivals,
    deliveryRatio: delivery.expected === 0 ? 1 : delivery.delivered / delivery.expected,
    // From the receivers' own count of handler calls, not from the ledger: it disagrees with delivery when events
    // arrive twice or arrive unpublished.
    amplification: published === 0 ? 0 : arrivals / published,
    expectedAmplification: Math.max(0, records.length - 1),
    selfEchoesFiltered,
    // The harness's own count, decided from each event's source for every driver; never the bridge's counter.
    selfReceived: sumRows((row) => row.selfReceived),
    duplicates: sumRows((row) => row.duplicates),
    outOfOrder: sumRecords((record) => windowOf(record)?.outOfOrder ?? 0),
    lost: delivery.lost,
    lostDuringFaults: delivery.lost - (faults?.lostOutside ?? delivery.lost),
    lostOutsideFaults: faults?.lostOutside ?? delivery.lost,
    malformed: sumRecords(
      (record) =>
        ((record.final?.bridge ?? record.lastStats?.bridge)?.malformed ?? 0) + (windowOf(record)?.invalidPayloads ?? 0),
    ),
    ...(deliveryMode === 'at-least-once' ? driverReportedLost(records) : {}),
    redisReportedReceivers: sumRecords((record) => windowOf(record)?.redisReportedReceivers ?? 0),
    // Every publish reaches its own sender's subscription too: a driver that sees its echoes counted them; for one
    // whose library drops them unseen, its own subscription is one receiver per publish.
    instancesCountedReceivers: delivery.delivered + (capabilities.ownEchoes ? selfEchoesFiltered : published),
  };
}

/** The drivers' own count of stream entries lost before they read them, when any driver reports one. */
function driverReportedLost(records: readonly WorkerRecord[]): Pick<Totals, 'driverReportedLost'> {
  const counts = records
    .map((record) => (record.final?.bridge ?? record.lastStats?.bridge)?.streamLostEntries)
    .filter((count): count is number => count !== undefined);
  return counts.length === 0 ? {} : { driverReportedLost: counts.reduce((sum, count) => sum + count, 0) };
}
