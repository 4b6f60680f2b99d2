// What the figures themselves say went wrong, as report problems: workers whose counts disagree or are unknown,
// publishes that did not happen, receivers Redis counted and no one got, instances sharing an id.
import type { ReportProblem, Totals } from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';
import type { PairwiseDelivery } from './delivery.js';
import { plannedFaults, type ReportedFaults } from './fault-records.js';
import type { IdentityCollision } from './identity-collisions.js';
import { windowOf } from './instance-row.js';

/** Receivers that sent no final: their deliveries are unknown. */
export function unknownReceiverProblems(records: readonly WorkerRecord[], delivery: PairwiseDelivery): ReportProblem[] {
  return delivery.unknownReceivers.map((index) => ({
    worker: index,
    pid: records[index]!.pid,
    message: 'sent no final report: its deliveries are unknown and counted as lost',
  }));
}

/** A stopped worker's events in no bucket, or two counts of its events that disagree. */
export function stoppedWorkerProblems(records: readonly WorkerRecord[], delivery: PairwiseDelivery): ReportProblem[] {
  const problems: ReportProblem[] = [];
  for (const record of records) {
    const window = windowOf(record);
    if (!record.stopped || !window) continue;
    const unaccounted = window.scheduled - window.published - window.refused - window.publishFailed;
    if (unaccounted !== 0) {
      problems.push({
        worker: record.index,
        pid: record.pid,
        message: `${unaccounted} of its ${window.scheduled} scheduled events ended in no bucket (published, refused, failed): still in flight when it stopped`,
      });
    }
    // Two counts of the same events: the sequence numbers it took, and the publish calls that returned or failed.
    const range = delivery.rangeBySender.get(record.index);
    if (range && range.count !== window.published + window.publishFailed) {
      problems.push({
        worker: record.index,
        pid: record.pid,
        message: `took ${range.count} measured sequence numbers but ${window.published + window.publishFailed} of its publishes returned or failed`,
      });
    }
  }
  return problems;
}

/** Refused and failed publishes; with faults, only those outside every fault's window (the faults own the rest). */
export function unpublishedProblems(totals: Totals, faults: ReportedFaults | undefined): ReportProblem[] {
  const planned = plannedFaults(faults);
  if (planned !== undefined) {
    return planned.publishFailedOutside > 0
      ? [{ message: `${planned.publishFailedOutside} publishes were refused or failed outside every fault window` }]
      : [];
  }
  const problems: ReportProblem[] = [];
  if (totals.refused > 0) {
    problems.push({
      message: `${totals.refused} of ${totals.scheduled} scheduled events were refused before publishing (the driver was not ready): they took no sequence number, so no receiver expected them and none is counted as lost`,
    });
  }
  if (totals.publishFailed > 0) {
    problems.push({
      message: `${totals.publishFailed} measured publishes were rejected after taking a sequence number: receivers expected them, and those that never arrived are counted as lost`,
    });
  }
  return problems;
}

/**
 * Redis's count of receivers against the instances' own, in a complete run without an injected fault (a fault that
 * drops a connection takes the events in its output buffer with it: Redis counted them, no one got them).
 */
export function receiverProblems(
  totals: Totals,
  outcome: 'complete' | 'interrupted' | 'failed',
  faults: ReportedFaults | undefined,
): ReportProblem[] {
  const faultInjected = faults?.records.some((fault) => fault.injectedAtMs !== null) ?? false;
  const { redisReportedReceivers, instancesCountedReceivers } = totals;
  if (redisReportedReceivers === instancesCountedReceivers || outcome !== 'complete' || faultInjected) return [];
  return [
    {
      message: `Redis reported ${redisReportedReceivers} receivers for the measured events, the instances counted ${instancesCountedReceivers} (delivered + their own subscriptions)`,
    },
  ];
}

/** Instances that shared an id (the run got this far only with --allow-collisions). */
export function collisionProblems(collisions: readonly IdentityCollision[]): ReportProblem[] {
  if (collisions.length === 0) return [];
  const shared = collisions.map((c) => `workers ${c.workers.join(', ')} share "${c.instanceId}"`).join('; ');
  return [
    {
      message: `identity collision (run with --allow-collisions): ${shared}; each self-filter dropped its peers' events as its own echoes`,
    },
  ];
}
