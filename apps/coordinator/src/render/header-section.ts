// The report's header: what was run, against which Redis, and whether it ran to the end.

import { redisKind } from './redis-kind.js';
import { formatDurationMs } from '../config/duration.js';
import { LAUNCHER_KINDS, launcherKindOf } from '../fleet/launcher-kinds.js';
import { redactRedisUrl } from '@evbridge/bridge';
import { formatSizeBytes } from '../config/size.js';
import type { Report } from '../model/report.js';
import { refusalsSeen } from '../report/control-refusals.js';
import { formatDecimal } from './format.js';
import type { Style } from './style.js';
import { renderPairs } from './table.js';

const PACER_LABELS: Record<Report['run']['pacer'], string> = {
  'open-loop': 'open-loop (a timer to each due event)',
  precise: 'precise (a timer, then the last millisecond polled)',
  'naive-interval': 'naive-interval (emits what is due every 1 ms)',
};

const DELIVERY_LABELS: Record<NonNullable<Report['run']['delivery']>, string> = {
  'at-most-once': 'at-most-once (pub/sub: what is sent while a subscriber is away is gone)',
  'at-least-once':
    'at-least-once (the driver resumes from its cursor: Redis Streams for evbridge; Redis on appendonly)',
};

export function headerSection(report: Report, style: Style): string[] {
  const { run } = report;
  const perWorker = run.procs > 0 ? run.rateEventsPerSec / run.procs : 0;
  const lines = [
    style.heading(`evbridge harness report: run ${run.id}`),
    ...renderPairs([
      [
        'procs',
        `${describeWorkers(run)} (mode: ${run.mode}, driver: ${run.driver.name}${run.driver.module ? ` from ${run.driver.module}` : ''})`,
      ],
      ['driver', `${report.run.driver.description}`],
      ['identity', describeIdentity(report)],
      ['pacer', PACER_LABELS[run.pacer]],
      ['delivery', DELIVERY_LABELS[run.delivery ?? 'at-most-once']],
      ['rate', `${formatDecimal(run.rateEventsPerSec, 1)} events/s total, ${formatDecimal(perWorker, 1)} per worker`],
      ['duration', `${formatDurationMs(run.durationMs)} measured after ${formatDurationMs(run.warmupMs)} warmup`],
      ['payload', formatSizeBytes(run.payloadBytes)],
      ['node', describeNode(report)],
      ['redis', `${run.redis.version} at ${redactRedisUrl(run.redis.url)} (${redisKind(run.redis)})`],
      ['started', run.startedAt],
      ['namespace', run.namespace],
      ...(report.control === undefined ? [] : [['control', describeControl(report.control)] as [string, string]]),
    ]),
  ];
  if (report.outcome !== 'complete') {
    lines.push(style.warn(`  outcome: ${report.outcome}; the figures cover only what was measured`));
  }
  return lines;
}

function describeWorkers(run: Report['run']): string {
  const remote = run.remoteWorkers ?? 0;
  const local = run.procs - remote;
  if (remote === 0) return LAUNCHER_KINDS[launcherKindOf(run)].describe(run.procs);
  const remoteText = LAUNCHER_KINDS.remote.describe(remote);
  return local === 0 ? remoteText : `${LAUNCHER_KINDS[launcherKindOf(run)].describe(local)} and ${remoteText}`;
}

/** Where remote workers connected, how many came, and what the channel refused (by reason, only those that occurred). */
function describeControl(control: NonNullable<Report['control']>): string {
  const refused = refusalsSeen(control).map(([reason, count]) => `${reason} ${count}`);
  const refusals = refused.length === 0 ? 'no connection refused' : `refused: ${refused.join(', ')}`;
  return `${control.listen}, ${control.workersArrived} of ${control.workersExpected} remote workers arrived; ${refusals}`;
}

/** One version when the coordinator and every worker that said hello ran the same Node (memory and CPU depend on it). */
function describeNode(report: Report): string {
  const coordinator = report.run.nodeVersion;
  const workers = [
    ...new Set(report.instances.map((instance) => instance.nodeVersion).filter((version) => version !== '')),
  ];
  if (workers.every((version) => version === coordinator)) return `${coordinator} (coordinator and workers)`;
  return `coordinator ${coordinator}, workers ${workers.join(', ')}`;
}

function describeIdentity(report: Report): string {
  const scheme = report.identity?.scheme ?? 'default';
  return scheme === 'pid'
    ? 'pid (instance id = process.pid alone)'
    : `default (the driver's own: ${report.run.driver.identityScheme})`;
}
