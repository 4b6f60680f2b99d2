// Merges every worker's final data into the Report, step by step: exact delivery, the faults, per-instance rows,
// totals, merged histograms, the problems the figures show, and the verdict of the thresholds.
import type { DriverDefinition } from '@evbridge/driver';
import type { LatencyRecorder } from '@evbridge/metrics';
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import type { HarnessOptions } from '../config/harness-options.js';
import type { FaultRunReport } from '../faults/fault-run.js';
import type { WorkerExit } from '../fleet/worker-handle.js';
import {
  type ControlInfo,
  REPORT_SCHEMA_VERSION,
  type RedisInfo,
  type Report,
  type ReportProblem,
  type RunInfo,
} from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';
import { evaluateThresholds, thresholdsPassed } from '../thresholds/evaluate-thresholds.js';
import { latencyClockErrorBoundUs } from './clock-figures.js';
import { accountDeliveries } from './delivery.js';
import { killedWorkers, reportFaults } from './fault-records.js';
import { findCollisions, identityInfo } from './identity-collisions.js';
import { instanceRow, round1 } from './instance-row.js';
import { measuredNothing } from './measured-nothing.js';
import { encodedHistograms, latencyFigures, mergeHistograms } from './merged-histograms.js';
import {
  collisionProblems,
  receiverProblems,
  stoppedWorkerProblems,
  unknownReceiverProblems,
  unpublishedProblems,
} from './run-problems.js';
import { STATS_INTERVAL_MS } from '@evbridge/protocol';
import { buildTimeSeries, type FleetLatency, WorkerSeries } from './time-series.js';
import { countTotals } from './totals.js';

export interface ReportInput {
  options: HarnessOptions;
  /** The run's driver, as loaded and checked before the workers started. */
  driver: Pick<DriverDefinition, 'name' | 'description' | 'identityScheme' | 'capabilities'>;
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
  /** The workers' interval stats as they arrived (the time series); absent when none was collected. */
  series: { workers: ReadonlyArray<WorkerSeries>; fleetLatency: FleetLatency } | undefined;
  outcome: Report['outcome'];
  problems: ReportProblem[];
  /** Length of the measured window actually run (shorter when interrupted). */
  measuredMs: number;
  /** Faults injected on purpose (--fault) and the workers' traces; absent without faults. */
  faultRun?: FaultRunReport;
  /** The control channel of a run with remote workers (--listen); absent otherwise. */
  control?: ControlInfo;
}

export function buildReport(input: ReportInput): Report {
  const { options, records, faultRun } = input;
  const problems = [...input.problems];
  const delivery = accountDeliveries(records, killedWorkers(faultRun));
  const faults = faultRun ? reportFaults(faultRun, records, delivery.lostRanges, input.failedWorkers) : undefined;
  problems.push(...unknownReceiverProblems(records, delivery));
  const killed = faultRun?.killed ?? new Map<number, string>();
  const sources = { delivery, exits: input.exits, failedWorkers: input.failedWorkers, killed };
  const instances = records.map((record) => instanceRow(record, sources));
  problems.push(...stoppedWorkerProblems(records, delivery));
  const totals = countTotals(
    records,
    instances,
    delivery,
    faults,
    input.driver.capabilities,
    options.delivery ?? HARNESS_DEFAULTS.delivery,
  );
  const collisions = findCollisions(records);
  problems.push(
    ...unpublishedProblems(totals, faults),
    // XADD has no receiver count: a durable run has none to check.
    ...(input.driver.capabilities.receiverCount && options.delivery !== 'at-least-once'
      ? receiverProblems(totals, input.outcome, faults)
      : []),
    ...collisionProblems(collisions),
  );
  const histograms = mergeHistograms(records, input.progressLatencyByWorker);
  const seconds = Math.max(input.measuredMs, 1) / 1000;
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    passed: false,
    outcome: input.outcome,
    run: runInfo(input),
    ...(input.control === undefined ? {} : { control: input.control }),
    totals,
    ...withClockBound(latencyFigures(histograms), latencyClockErrorBoundUs(records)),
    identity: identityInfo(options.identity ?? HARNESS_DEFAULTS.identity, records, instances, collisions),
    throughput: {
      targetEventsPerSec: options.rateEventsPerSec,
      publishedEventsPerSec: round1(totals.published / seconds),
      deliveredEventsPerSec: round1(totals.delivered / seconds),
    },
    instances,
    lostRanges: delivery.lostRanges,
    faults: faults?.records ?? [],
    timeSeries: buildTimeSeries({
      intervalMs: STATS_INTERVAL_MS,
      warmupMs: options.warmupMs,
      measuredMs: input.measuredMs,
      workers: input.series?.workers ?? records.map(() => new WorkerSeries()),
      fleetLatency: input.series?.fleetLatency.percentiles() ?? new Map(),
      lostRanges: delivery.lostRanges,
      intendedMsOf: (sender, seq) => {
        const intendedUs = faultRun?.traces[sender]?.intendedUs(seq);
        return intendedUs === undefined ? undefined : (intendedUs - faultRun!.measureStartUs) / 1000;
      },
      faults: faults?.records ?? [],
    }),
    matrix: delivery.matrix,
    thresholds: [],
    problems,
    histograms: encodedHistograms(histograms),
  };
  return judge(report, input);
}

/** The latency figures with the error bound the instances' clocks put on them. */
function withClockBound<T extends { latencyUs: Report['latencyUs'] }>(figures: T, clockErrorBoundUs: number): T {
  return { ...figures, latencyUs: { ...figures.latencyUs, clockErrorBoundUs } };
}

/** The run as configured, and where and when it ran. */
function runInfo(input: ReportInput): RunInfo {
  const { options } = input;
  return {
    id: input.runId,
    mode: options.mode ?? HARNESS_DEFAULTS.mode,
    isolate: options.isolate ?? HARNESS_DEFAULTS.isolate,
    driver: {
      name: input.driver.name,
      ...(input.driver.name === options.driver ? {} : { module: options.driver }),
      description: input.driver.description,
      identityScheme: input.driver.identityScheme,
      capabilities: input.driver.capabilities,
    },
    pacer: options.pacer ?? HARNESS_DEFAULTS.pacer,
    delivery: options.delivery ?? HARNESS_DEFAULTS.delivery,
    procs: input.records.length,
    ...(options.expectWorkers ? { remoteWorkers: options.expectWorkers } : {}),
    rateEventsPerSec: options.rateEventsPerSec,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    payloadBytes: options.payloadBytes,
    startedAt: input.startedAt.toISOString(),
    namespace: input.namespace,
    // The report is built by the coordinator: its own Node is this process's.
    nodeVersion: process.version,
    redis: input.redis,
  };
}

/** The thresholds judged, and the verdict: a complete run that measured something and holds every threshold passes. */
function judge(report: Report, input: Pick<ReportInput, 'options' | 'outcome'>): Report {
  report.thresholds = evaluateThresholds(input.options.thresholds, report);
  const nothing = measuredNothing(report.totals);
  if (nothing !== undefined)
    report.problems.push({ message: `nothing was measured: ${nothing}, so no threshold judged anything` });
  report.passed = input.outcome === 'complete' && nothing === undefined && thresholdsPassed(report.thresholds);
  return report;
}
