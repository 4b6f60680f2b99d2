// Merges every worker's final data into the Report: exact delivery, merged histograms, per-instance rows.
import { LatencyRecorder, SequenceLedger } from '@evbridge/metrics';
import { analyzeFaults } from '../faults/fault-analysis.js';
import type { FaultRunReport } from '../faults/fault-run.js';
import { WorkerTrace } from '../faults/worker-trace.js';
import type { HarnessOptions } from '../config/harness-options.js';
import type { WorkerExit } from '../fleet/worker-handle.js';
import { evaluateThresholds, thresholdsPassed } from '../thresholds/evaluate-thresholds.js';
import type { WorkerRecord } from '../model/worker-record.js';
import { accountDeliveries } from './delivery.js';
import { measuredNothing } from './measured-nothing.js';
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import { findCollisions } from './identity-collisions.js';
import {
  REPORT_SCHEMA_VERSION,
  type FaultRecord,
  type IdentityInfo,
  type InstanceRow,
  type LatencyUs,
  type LostRange,
  type RedisInfo,
  type Report,
  type ReportProblem,
} from '../model/report.js';

export interface ReportInput {
  options: HarnessOptions;
  runId: string;
  namespace: string;
  redis: RedisInfo;
  startedAt: Date;
  records: readonly WorkerRecord[];
  exits: ReadonlyArray<WorkerExit | undefined>;
  /** Workers whose exit was a failure, with the reason. */
  failedWorkers: ReadonlyMap<number, string>;
  /** Per worker, latency so far from its interval histograms: used for a worker that sent no final. */
  progressLatencyByWorker: ReadonlyMap<number, LatencyRecorder>;
  outcome: Report['outcome'];
  problems: ReportProblem[];
  /** Length of the measured window actually run (shorter when interrupted). */
  measuredMs: number;
  /** Faults injected on purpose (--fault) and the workers' traces; absent without faults. */
  faultRun?: FaultRunReport;
}

/** A worker's histogram summarized; all zeros for one that sent no final. */
const summaryOf = (recorder: LatencyRecorder | undefined) => (recorder ?? new LatencyRecorder()).summary();

function latencyOf(recorder: LatencyRecorder): LatencyUs {
  const s = recorder.summary();
  return { count: s.count, mean: s.mean, p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99, p999: s.p999, max: s.max };
}

export function buildReport(input: ReportInput): Report {
  const { options, records } = input;
  const problems = [...input.problems];
  const latency = new LatencyRecorder();
  const transit = new LatencyRecorder();
  const sendLag = new LatencyRecorder();
  const eventLoopDelay = new LatencyRecorder();
  for (const record of records) {
    if (!record.final) {
      // No final: what its stats said so far (latency only; transit and send lag travel in the final alone).
      const soFar = input.progressLatencyByWorker.get(record.index);
      if (soFar) latency.add(soFar);
      continue;
    }
    // Decoded once, when the worker's final message was parsed.
    const own = record.final.histograms;
    latency.add(own.latencyUs);
    transit.add(own.transitLatencyUs);
    sendLag.add(own.sendLagUs);
    eventLoopDelay.add(own.eventLoopDelayUs);
  }

  const faultRun = input.faultRun;
  const killed = faultRun?.killed ?? new Map<number, string>();
  const delivery = accountDeliveries(
    records,
    faultRun && killed.size > 0
      ? {
          indexes: new Set(killed.keys()),
          publishedSeqs: (index) => ({
            firstMeasuredSeq: faultRun.traces[index]?.firstMeasuredSeq ?? -1,
            lastAckedSeq: faultRun.traces[index]?.lastAckedSeq ?? -1,
          }),
        }
      : undefined,
  );
  const faults = faultRun ? reportFaults(faultRun, records, delivery.lostRanges, input.failedWorkers) : undefined;
  for (const index of delivery.unknownReceivers) {
    problems.push({
      worker: index,
      pid: records[index]!.pid,
      message: 'sent no final report: its deliveries are unknown and counted as lost',
    });
  }
  const windowOf = (record: WorkerRecord) => record.final?.window ?? record.stopped?.window ?? record.lastStats?.window;
  let scheduled = 0;
  let published = 0;
  let refused = 0;
  let arrivals = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let selfEchoesFiltered = 0;
  let selfReceived = 0;
  let malformed = 0;
  let redisReportedReceivers = 0;
  let publishFailed = 0;
  const instances: InstanceRow[] = records.map((record) => {
    const window = windowOf(record);
    const range = delivery.rangeBySender.get(record.index);
    const row = delivery.byReceiver.get(record.index);
    const own = record.final?.histograms;
    const summary = summaryOf(own?.latencyUs);
    const transitSummary = summaryOf(own?.transitLatencyUs);
    const sendLagSummary = summaryOf(own?.sendLagUs);
    const resources = record.final?.resources ?? record.lastStats?.resources;
    const bridge = record.final?.bridge ?? record.lastStats?.bridge;
    const exit = input.exits[record.index];
    const failure = input.failedWorkers.get(record.index);
    // A worker that stopped counted its publishes as they returned; one killed on purpose is accounted for by the
    // range of its events surely published (killedRange), as its window counters stopped at its last stats.
    const publishedHere = record.stopped ? (window?.published ?? 0) : (range?.count ?? window?.published ?? 0);
    if (record.stopped && window) {
      const unaccounted = window.scheduled - window.published - window.refused - window.publishFailed;
      if (unaccounted !== 0) {
        problems.push({
          worker: record.index,
          pid: record.pid,
          message: `${unaccounted} of its ${window.scheduled} scheduled events ended in no bucket (published, refused, failed): still in flight when it stopped`,
        });
      }
      // Two counts of the same events: the sequence numbers it took, and the publish calls that returned or failed.
      if (range && range.count !== window.published + window.publishFailed) {
        problems.push({
          worker: record.index,
          pid: record.pid,
          message: `took ${range.count} measured sequence numbers but ${window.published + window.publishFailed} of its publishes returned or failed`,
        });
      }
    }
    scheduled += window?.scheduled ?? 0;
    published += publishedHere;
    refused += window?.refused ?? 0;
    arrivals += window?.arrivals ?? 0;
    duplicates += window?.duplicates ?? 0;
    outOfOrder += window?.outOfOrder ?? 0;
    selfEchoesFiltered += window?.selfEchoesFiltered ?? 0;
    // The harness's own count, decided from each event's source for every transport; never the bridge's counter.
    selfReceived += window?.selfReceived ?? 0;
    malformed += (bridge?.malformed ?? 0) + (window?.invalidPayloads ?? 0);
    redisReportedReceivers += window?.redisReportedReceivers ?? 0;
    publishFailed += window?.publishFailed ?? 0;
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
      published: publishedHere,
      refused: window?.refused ?? 0,
      publishFailed: window?.publishFailed ?? 0,
      delivered: row?.delivered ?? 0,
      arrivals: window?.arrivals ?? 0,
      selfEchoesFiltered: window?.selfEchoesFiltered ?? 0,
      selfReceived: window?.selfReceived ?? 0,
      lost: row?.lost ?? 0,
      duplicates: window?.duplicates ?? 0,
      latencyUs: { p50: summary.p50, p99: summary.p99, max: summary.max },
      transitLatencyUs: { p50: transitSummary.p50, p99: transitSummary.p99, max: transitSummary.max },
      sendLagUs: { p50: sendLagSummary.p50, p99: sendLagSummary.p99, max: sendLagSummary.max },
      clockOffsetUs: record.clock?.offsetUs ?? 0,
      clockRttUs: record.clock?.rttUs ?? 0,
      rssBytes: record.final?.resources.peakRssBytes ?? resources?.rssBytes ?? 0,
      cpuPercent: round1(record.final?.resources.cpuPercentMean ?? resources?.cpuPercent ?? 0),
      eventLoopDelayUs: { p99: Math.round(resources?.eventLoopDelayUs.p99 ?? 0) },
      cpuUs: record.final ? record.final.resources.cpuUserUs + record.final.resources.cpuSystemUs : 0,
      ipcMessagesPerSec:
        record.ipc && record.ipc.durationMs > 0 ? round1((record.ipc.messages * 1000) / record.ipc.durationMs) : 0,
      exit: failure
        ? { exitCode: exit?.exitCode ?? null, signal: exit?.signal ?? null, reason: failure }
        : killed.has(record.index)
          ? {
              exitCode: exit?.exitCode ?? null,
              signal: exit?.signal ?? null,
              reason: `killed by fault ${killed.get(record.index)}`,
            }
          : null,
    };
  });
  // A fault run's unpublished events are judged by window (each fault owns those of its window); otherwise all count.
  const planned = faults !== undefined && faults.records.length > 0 ? faults : undefined;
  if (planned === undefined) {
    if (refused > 0) {
      problems.push({
        message: `${refused} of ${scheduled} scheduled events were refused before publishing (the transport was not ready): they took no sequence number, so no receiver expected them and none is counted as lost`,
      });
    }
    if (publishFailed > 0) {
      problems.push({
        message: `${publishFailed} measured publishes were rejected after taking a sequence number: receivers expected them, and those that never arrived are counted as lost`,
      });
    }
  } else if (planned.publishFailedOutside > 0) {
    problems.push({
      message: `${planned.publishFailedOutside} publishes were refused or failed outside every fault window`,
    });
  }

  const procs = records.length;
  const instancesCountedReceivers = delivery.delivered + selfEchoesFiltered;
  // A fault that drops a connection takes the events in its output buffer with it: Redis counted them, no one got them.
  const faultInjected = faults?.records.some((fault) => fault.injectedAtMs !== null) ?? false;
  if (redisReportedReceivers !== instancesCountedReceivers && input.outcome === 'complete' && !faultInjected) {
    problems.push({
      message: `Redis reported ${redisReportedReceivers} receivers for the measured events, the instances counted ${instancesCountedReceivers} (delivered + self echoes)`,
    });
  }
  const collisions = findCollisions(records);
  if (collisions.length > 0) {
    const shared = collisions.map((c) => `workers ${c.workers.join(', ')} share "${c.instanceId}"`).join('; ');
    problems.push({
      message: `identity collision (run with --allow-collisions): ${shared}; each self-filter dropped its peers' events as its own echoes`,
    });
  }
  const seconds = Math.max(input.measuredMs, 1) / 1000;
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    passed: false,
    outcome: input.outcome,
    run: {
      id: input.runId,
      mode: options.mode ?? HARNESS_DEFAULTS.mode,
      isolate: options.isolate ?? HARNESS_DEFAULTS.isolate,
      transport: options.transport,
      pacer: options.pacer ?? HARNESS_DEFAULTS.pacer,
      procs,
      rateEventsPerSec: options.rateEventsPerSec,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      payloadBytes: options.payloadBytes,
      startedAt: input.startedAt.toISOString(),
      namespace: input.namespace,
      // The report is built by the coordinator: its own Node is this process's.
      nodeVersion: process.version,
      redis: input.redis,
    },
    totals: {
      scheduled,
      published,
      refused,
      publishFailed,
      publishRatio: scheduled === 0 ? 1 : published / scheduled,
      unpublishedOutsideFaults: planned === undefined ? refused + publishFailed : planned.publishFailedOutside,
      expectedDeliveries: delivery.expected,
      delivered: delivery.delivered,
      arrivals,
      deliveryRatio: delivery.expected === 0 ? 1 : delivery.delivered / delivery.expected,
      // From the receivers' own count of handler calls, not from the ledger: it disagrees with delivery when events
      // arrive twice or arrive unpublished.
      amplification: published === 0 ? 0 : arrivals / published,
      expectedAmplification: Math.max(0, procs - 1),
      selfEchoesFiltered,
      selfReceived,
      duplicates,
      outOfOrder,
      lost: delivery.lost,
      lostDuringFaults: delivery.lost - (faults?.lostOutside ?? delivery.lost),
      lostOutsideFaults: faults?.lostOutside ?? delivery.lost,
      malformed,
      redisReportedReceivers,
      instancesCountedReceivers,
    },
    latencyUs: latencyOf(latency),
    transitLatencyUs: pick(latencyOf(transit), ['p50', 'p99', 'p999', 'max']),
    sendLagUs: pick(latencyOf(sendLag), ['p50', 'p99', 'max']),
    eventLoopDelayUs: pick(latencyOf(eventLoopDelay), ['p50', 'p99', 'max']),
    identity: identityInfo(input, instances, collisions),
    throughput: {
      targetEventsPerSec: options.rateEventsPerSec,
      publishedEventsPerSec: round1(published / seconds),
      deliveredEventsPerSec: round1(delivery.delivered / seconds),
    },
    instances,
    lostRanges: delivery.lostRanges,
    faults: faults?.records ?? [],
    thresholds: [],
    problems,
    histograms: {
      latencyUs: latency.encode(),
      transitLatencyUs: transit.encode(),
      sendLagUs: sendLag.encode(),
      eventLoopDelayUs: eventLoopDelay.encode(),
    },
  };
  report.thresholds = evaluateThresholds(options.thresholds, report);
  const nothing = measuredNothing(report.totals);
  if (nothing !== undefined)
    problems.push({ message: `nothing was measured: ${nothing}, so no threshold judged anything` });
  report.passed = input.outcome === 'complete' && nothing === undefined && thresholdsPassed(report.thresholds);
  return report;
}

/** The fault records with what each fault did (fault-analysis.ts), and what lies outside every fault window. */
function reportFaults(
  faultRun: FaultRunReport,
  records: readonly WorkerRecord[],
  lostRanges: readonly LostRange[],
  failedWorkers: ReadonlyMap<number, string>,
): { records: FaultRecord[]; lostOutside: number; publishFailedOutside: number } {
  const analysis = analyzeFaults({
    faults: faultRun.timings,
    workers: records.map((record) => ({
      index: record.index,
      instanceId: record.instanceId ?? '',
      clockOffsetUs: record.clock?.offsetUs ?? 0,
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
  });
  return {
    records: faultRun.records.map((record, index) => ({ ...record, ...analysis.outcomes[index]! })),
    lostOutside: analysis.lostOutside,
    publishFailedOutside: analysis.publishFailedOutside,
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = value[key];
  return out;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** What the instance ids were, which collided before measuring, and what the self-filters dropped because of it. */
function identityInfo(
  input: ReportInput,
  instances: readonly InstanceRow[],
  collisions: IdentityInfo['collisions'],
): IdentityInfo {
  const peerEventsDroppedAsOwn = instances.reduce(
    (sum, row) => sum + Math.max(0, row.selfEchoesFiltered - row.published),
    0,
  );
  return {
    scheme: input.options.identity ?? HARNESS_DEFAULTS.identity,
    collisions,
    peerEventsDroppedAsOwn,
    bridgesReportingCollision: input.records
      .filter((record) => ((record.final?.bridge ?? record.lastStats?.bridge)?.identityCollisions ?? 0) > 0)
      .map((record) => record.index),
  };
}
