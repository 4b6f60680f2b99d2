// One run's report reduced to the bench figures, with the CPU and IPC figures computed the documented way.

import type { InstanceRow, Report } from '../model/report.js';
import type { RunFigures } from './metrics.js';

/**
 * Reports of schema 1 before `cpuUs` and `ipcMessagesPerSec` joined the instance rows lack them (JSON kept from
 * earlier runs): the bench then falls back as CPU_METHODS says and reports IPC as not measured.
 */
type InstanceExtras = Partial<{ cpuUs: number; ipcMessagesPerSec: number }>;

export type CpuMethod = 'cpuUs' | 'cpuPercent';

/** How the CPU figure was obtained, for the JSON and BENCHMARKS.md. */
export const CPU_METHODS: Record<CpuMethod, string> = {
  cpuUs:
    'sum over workers of user+system CPU microseconds over the measured-window sample, divided by delivered events (the floor: each process from the start of its measured window to its result, the drain included)',
  cpuPercent:
    'sum over workers of cpuPercent (mean % of one core over the measured-window sample, which also spans the stop and drain) x measured duration, divided by delivered events; it undercounts by the share of the sample spent in stop and drain (the report carries no cpuUs yet)',
};

export interface FiguresOfRun {
  figures: RunFigures;
  cpuMethod: CpuMethod;
}

export const MB = 1_000_000;

type LatencyKey =
  | 'latencyP50Us'
  | 'latencyP99Us'
  | 'latencyP999Us'
  | 'latencyMaxUs'
  | 'transitP50Us'
  | 'transitP99Us'
  | 'sendLagP50Us'
  | 'sendLagP99Us';
type Percentiles = { p50: number; p99: number };

/**
 * The latency figures of a run, from the intended time, from the publish call and the send lag; null where nothing
 * was received (latency, transit) or nothing was published (send lag).
 */
export function latencyFigures(
  latency: Percentiles & { p999: number; max: number },
  transit: Percentiles,
  sendLag: Percentiles,
  counts: { received: number; published: number },
): Record<LatencyKey, number | null> {
  const received = counts.received > 0;
  const published = counts.published > 0;
  return {
    latencyP50Us: received ? latency.p50 : null,
    latencyP99Us: received ? latency.p99 : null,
    latencyP999Us: received ? latency.p999 : null,
    latencyMaxUs: received ? latency.max : null,
    transitP50Us: received ? transit.p50 : null,
    transitP99Us: received ? transit.p99 : null,
    // The pacer's lateness, recorded by each sender for every measured publish (no receipt needed).
    sendLagP50Us: published ? sendLag.p50 : null,
    sendLagP99Us: published ? sendLag.p99 : null,
  };
}

export function figuresOf(report: Report): FiguresOfRun {
  const instances = report.instances as ReadonlyArray<InstanceRow & InstanceExtras>;
  const delivered = report.totals.delivered;
  const haveCpuUs = instances.length > 0 && instances.every((row) => typeof row.cpuUs === 'number');
  const cpuUs = haveCpuUs
    ? sum(instances.map((row) => row.cpuUs ?? 0))
    : sum(instances.map((row) => (row.cpuPercent / 100) * report.run.durationMs * 1000));
  const haveIpc = instances.length > 0 && instances.every((row) => typeof row.ipcMessagesPerSec === 'number');
  const rssMb = instances.map((row) => row.rssBytes / MB);
  return {
    cpuMethod: haveCpuUs ? 'cpuUs' : 'cpuPercent',
    figures: {
      ...latencyFigures(report.latencyUs, report.transitLatencyUs, report.sendLagUs, {
        received: report.latencyUs.count,
        published: report.totals.published,
      }),
      publishedEventsPerSec: report.throughput.publishedEventsPerSec,
      deliveredEventsPerSec: report.throughput.deliveredEventsPerSec,
      deliveryRatio: report.totals.deliveryRatio,
      cpuUsPerDelivered: delivered > 0 ? cpuUs / delivered : null,
      rssPeakMeanMb: rssMb.length > 0 ? sum(rssMb) / rssMb.length : null,
      rssPeakMaxMb: rssMb.length > 0 ? Math.max(...rssMb) : null,
      ipcMessagesPerWorkerPerSec: haveIpc
        ? sum(instances.map((row) => row.ipcMessagesPerSec ?? 0)) / instances.length
        : null,
    },
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
