// One run's report reduced to the bench figures, with the CPU and IPC figures computed the documented way.

import type { InstanceRow, Report } from '../report/types.js';
import type { RunFigures } from './metrics.js';

/**
 * Reports of schema 1 before `cpuUs` and `ipcMessagesPerSec` joined the instance rows lack them (JSON kept from
 * earlier runs): the bench then falls back as CPU_METHODS says and reports IPC as not measured.
 */
type InstanceExtras = Partial<{ cpuUs: number; ipcMessagesPerSec: number }>;

export type CpuMethod = 'cpuUs' | 'cpuPercent';

/** How the CPU figure was obtained, for the JSON and BENCHMARKS.md. */
export const CPU_METHODS: Record<CpuMethod, string> = {
  cpuUs: 'sum over workers of user+system CPU microseconds over the measured-window sample, divided by delivered events',
  cpuPercent:
    'sum over workers of cpuPercent (mean % of one core over the measured-window sample, which also spans the stop and drain) x measured duration, divided by delivered events; it undercounts by the share of the sample spent in stop and drain (the report carries no cpuUs yet)',
};

export interface FiguresOfRun {
  figures: RunFigures;
  cpuMethod: CpuMethod;
}

const MB = 1_000_000;

export function figuresOf(report: Report): FiguresOfRun {
  const instances = report.instances as ReadonlyArray<InstanceRow & InstanceExtras>;
  const delivered = report.totals.delivered;
  const haveCpuUs = instances.length > 0 && instances.every((row) => typeof row.cpuUs === 'number');
  const cpuUs = haveCpuUs
    ? sum(instances.map((row) => row.cpuUs ?? 0))
    : sum(instances.map((row) => (row.cpuPercent / 100) * report.run.durationMs * 1000));
  const haveIpc = instances.length > 0 && instances.every((row) => typeof row.ipcMessagesPerSec === 'number');
  const rssMb = instances.map((row) => row.rssBytes / MB);
  const latency = report.latencyUs;
  const transit = report.transitLatencyUs;
  const hasLatency = latency.count > 0;
  return {
    cpuMethod: haveCpuUs ? 'cpuUs' : 'cpuPercent',
    figures: {
      latencyP50Us: hasLatency ? latency.p50 : null,
      latencyP99Us: hasLatency ? latency.p99 : null,
      latencyP999Us: hasLatency ? latency.p999 : null,
      latencyMaxUs: hasLatency ? latency.max : null,
      transitP50Us: hasLatency ? transit.p50 : null,
      transitP99Us: hasLatency ? transit.p99 : null,
      // The pacer's lateness, recorded by each sender for every measured publish (no receipt needed).
      sendLagP50Us: report.totals.published > 0 ? report.sendLagUs.p50 : null,
      sendLagP99Us: report.totals.published > 0 ? report.sendLagUs.p99 : null,
      publishedEventsPerSec: report.throughput.publishedEventsPerSec,
      deliveredEventsPerSec: report.throughput.deliveredEventsPerSec,
      deliveryRatio: report.totals.deliveryRatio,
      cpuUsPerDelivered: delivered > 0 ? cpuUs / delivered : null,
      rssPeakMeanMb: rssMb.length > 0 ? sum(rssMb) / rssMb.length : null,
      rssPeakMaxMb: rssMb.length > 0 ? Math.max(...rssMb) : null,
      ipcMessagesPerWorkerPerSec: haveIpc ? sum(instances.map((row) => row.ipcMessagesPerSec ?? 0)) / instances.length : null,
    },
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
