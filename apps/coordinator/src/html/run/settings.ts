// How the run was made (driver, processes, rate, payload, timing, pacer, Node, Redis, run id) and what went wrong.
import { redisKind } from '../../render/redis-kind.js';
import { redactRedisUrl } from '@evbridge/bridge';
import type { Report } from '../../model/report.js';
import { refusalsSeen } from '../../report/control-refusals.js';
import type { ReportV2 } from '../../results/read-result.js';
import { pageSection } from '../chart-figure.js';
import { figure } from '../figure.js';
import { html, type SafeHtml } from '../safe-html.js';

export function settingsSection(report: Report | ReportV2): SafeHtml {
  const { run } = report;
  const driver = run.driver;
  const workers = [...new Set(report.instances.map((row) => row.nodeVersion).filter((version) => version !== ''))];
  const node =
    workers.length === 0 || workers.every((version) => version === run.nodeVersion)
      ? `${run.nodeVersion} (coordinator and workers)`
      : `coordinator ${run.nodeVersion}, workers ${workers.join(', ')}`;
  const entries: Array<[string, SafeHtml | string]> = [
    ['run id', run.id],
    ['started', run.startedAt],
    [
      'driver',
      html`<strong>${driver.name}</strong>${driver.module === undefined ? '' : html` from ${driver.module}`}: ${driver.description}`,
    ],
    [
      'identity',
      report.identity?.scheme === 'pid'
        ? 'pid (instance id = process.pid alone)'
        : `default (${driver.identityScheme})`,
    ],
    ['processes', html`${figure('run.procs', run.procs, 'count')} (mode ${run.mode}, isolation ${run.isolate})`],
    ['rate', html`${figure('run.rateEventsPerSec', run.rateEventsPerSec, 'eventsPerSec')} total`],
    ['payload', figure('run.payloadBytes', run.payloadBytes, 'size')],
    [
      'duration',
      html`${figure('run.durationMs', run.durationMs, 'ms')} measured after ${figure('run.warmupMs', run.warmupMs, 'ms')} warm-up`,
    ],
    ['pacer', run.pacer],
    ['delivery', run.delivery ?? 'at-most-once'],
    ['Node', node],
    [
      'Redis',
      `${run.redis.version} at ${redactRedisUrl(run.redis.url)}${run.redis.private || run.redis.topology !== undefined ? ` (${redisKind(run.redis)})` : ''}`,
    ],
    ['namespace', run.namespace],
    ...controlEntry(report),
    ['report schema', String(report.schemaVersion)],
  ];
  return pageSection(
    'settings',
    'Run settings',
    html`<dl class="settings">${entries.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`,
  );
}

/** In a run with remote workers: where they connected, how many came, and what the control channel refused. */
function controlEntry(report: Report | ReportV2): Array<[string, SafeHtml]> {
  const control = 'control' in report ? report.control : undefined;
  if (control === undefined) return [];
  const refused = refusalsSeen(control);
  return [
    [
      'remote workers',
      html`${control.listen}: ${figure('control.workersArrived', control.workersArrived, 'count')} of ${figure('control.workersExpected', control.workersExpected, 'count')} arrived; ${
        refused.length === 0
          ? 'no connection refused'
          : html`refused: ${refused.map(([reason, count], index) => html`${index === 0 ? '' : ', '}${reason} ${figure(`control.refused.${reason}`, count, 'count')}`)}`
      }`,
    ],
  ];
}

export function problemsSection(report: Report | ReportV2): SafeHtml | undefined {
  if (report.problems.length === 0) return undefined;
  return pageSection(
    'problems',
    `Problems (${report.problems.length})`,
    html`<ul class="problems">${report.problems.map(
      (problem) =>
        html`<li>${problem.worker === undefined ? '' : `worker ${problem.worker}${problem.pid === undefined ? '' : ` (pid ${problem.pid})`}: `}${problem.message}</li>`,
    )}</ul>`,
  );
}

/** Only when the run let instances share an id (--allow-collisions) or a bridge noticed one. */
export function identitySection(report: Report | ReportV2): SafeHtml | undefined {
  const identity = report.identity;
  if (identity === undefined) return undefined;
  if (
    identity.collisions.length === 0 &&
    identity.bridgesReportingCollision.length === 0 &&
    identity.peerEventsDroppedAsOwn === 0
  ) {
    return undefined;
  }
  return pageSection(
    'identity',
    'Instance id collisions',
    html`<ul>${identity.collisions.map((collision) => html`<li>${collision.instanceId}: workers ${collision.workers.join(', ')}</li>`)}<li>peers' events dropped as own: ${figure('identity.peerEventsDroppedAsOwn', identity.peerEventsDroppedAsOwn, 'count')}</li><li>bridges reporting a collision: ${identity.bridgesReportingCollision.length === 0 ? 'none' : identity.bridgesReportingCollision.join(', ')}</li></ul>`,
  );
}
