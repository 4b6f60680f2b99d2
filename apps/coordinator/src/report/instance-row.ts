// One instance's row of the report: its own counters, its share of delivery, its latency and resources, how it ended.
import { LatencyRecorder } from '@evbridge/metrics';
import type { WorkerExit } from '../fleet/worker-handle.js';
import type { InstanceRow } from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';
import { clockFields } from './clock-figures.js';
import type { PairwiseDelivery } from './delivery.js';

/** What the rows need besides each worker's record. */
export interface RowSources {
  delivery: PairwiseDelivery;
  exits: ReadonlyArray<WorkerExit | undefined>;
  /** Workers whose exit was a failure, with the reason. */
  failedWorkers: ReadonlyMap<number, string>;
  /** Workers a fault killed on purpose: index -> the fault. */
  killed: ReadonlyMap<number, string>;
}

/** The worker's last window counters: from its final, else its stopped message, else its last stats. */
export const windowOf = (record: WorkerRecord) =>
  record.final?.window ?? record.stopped?.window ?? record.lastStats?.window;

export const round1 = (value: number): number => Math.round(value * 10) / 10;

export function instanceRow(record: WorkerRecord, sources: RowSources): InstanceRow {
  const window = windowOf(record);
  const received = sources.delivery.byReceiver.get(record.index);
  const own = record.final?.histograms;
  const resources = record.final?.resources ?? record.lastStats?.resources;
  return {
    index: record.index,
    pid: record.hello?.pid ?? record.pid,
    hostPid: record.pid,
    threadId: record.hello?.threadId ?? 0,
    pidNamespace: record.hello?.pidNamespace ?? '',
    nodeVersion: record.hello?.nodeVersion ?? '',
    instanceId: record.instanceId ?? '',
    host: record.host ?? '',
    scheduled: window?.scheduled ?? 0,
    published: publishedBy(record, sources.delivery),
    refused: window?.refused ?? 0,
    publishFailed: window?.publishFailed ?? 0,
    delivered: received?.delivered ?? 0,
    arrivals: window?.arrivals ?? 0,
    selfEchoesFiltered: window?.selfEchoesFiltered ?? 0,
    selfReceived: window?.selfReceived ?? 0,
    lost: received?.lost ?? 0,
    duplicates: window?.duplicates ?? 0,
    latencyUs: percentiles(own?.latencyUs),
    transitLatencyUs: percentiles(own?.transitLatencyUs),
    sendLagUs: percentiles(own?.sendLagUs),
    ...clockFields(record),
    rssBytes: record.final?.resources.peakRssBytes ?? resources?.rssBytes ?? 0,
    cpuPercent: round1(record.final?.resources.cpuPercentMean ?? resources?.cpuPercent ?? 0),
    eventLoopDelayUs: { p99: Math.round(resources?.eventLoopDelayUs.p99 ?? 0) },
    cpuUs: record.final ? record.final.resources.cpuUserUs + record.final.resources.cpuSystemUs : 0,
    ipcMessagesPerSec:
      record.ipc && record.ipc.durationMs > 0 ? round1((record.ipc.messages * 1000) / record.ipc.durationMs) : 0,
    exit: exitOf(record.index, sources),
  };
}

/**
 * A worker that stopped counted its publishes as they returned; one killed on purpose is accounted for by the range
 * of its events surely published (killedRange), as its window counters stopped at its last stats.
 */
function publishedBy(record: WorkerRecord, delivery: PairwiseDelivery): number {
  const window = windowOf(record);
  if (record.stopped) return window?.published ?? 0;
  return delivery.rangeBySender.get(record.index)?.count ?? window?.published ?? 0;
}

/** p50, p99 and max of a worker's histogram; all zeros for one that sent no final. */
function percentiles(recorder: LatencyRecorder | undefined): { p50: number; p99: number; max: number } {
  const summary = (recorder ?? new LatencyRecorder()).summary();
  return { p50: summary.p50, p99: summary.p99, max: summary.max };
}

/** How the worker ended: a failure, a kill by a fault, or null when it ran to the end normally. */
function exitOf(index: number, sources: RowSources): InstanceRow['exit'] {
  const exit = sources.exits[index];
  const failure = sources.failedWorkers.get(index);
  const fault = sources.killed.get(index);
  const reason = failure || (fault === undefined ? undefined : `killed by fault ${fault}`);
  return reason === undefined ? null : { exitCode: exit?.exitCode ?? null, signal: exit?.signal ?? null, reason };
}
