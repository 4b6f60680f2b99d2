// The report's header: what was run, against which Redis, and whether it ran to the end.

import { formatDurationMs } from '../cli/duration.js';
import { redactRedisUrl } from '@evbridge/bridge';
import { formatSizeBytes } from '../cli/size.js';
import type { Report } from '../report/types.js';
import { formatDecimal } from './format.js';
import type { Style } from './style.js';
import { renderPairs } from './table.js';

export function headerSection(report: Report, style: Style): string[] {
  const { run } = report;
  const perWorker = run.procs > 0 ? run.rateEventsPerSec / run.procs : 0;
  const redisKind = run.redis.private ? 'private redis-server started for this run' : 'external';
  const lines = [
    style.heading(`evbridge harness report: run ${run.id}`),
    ...renderPairs([
      ['procs', `${run.procs} worker processes (mode: ${run.mode}, transport: ${run.transport === 'raw' ? 'raw ioredis pub/sub, the floor' : 'bridge'})`],
      ['rate', `${formatDecimal(run.rateEventsPerSec, 1)} events/s total, ${formatDecimal(perWorker, 1)} per worker`],
      ['duration', `${formatDurationMs(run.durationMs)} measured after ${formatDurationMs(run.warmupMs)} warmup`],
      ['payload', formatSizeBytes(run.payloadBytes)],
      ['redis', `${run.redis.version} at ${redactRedisUrl(run.redis.url)} (${redisKind})`],
      ['started', run.startedAt],
      ['namespace', run.namespace],
    ]),
  ];
  if (report.outcome !== 'complete') {
    lines.push(style.warn(`  outcome: ${report.outcome}; the figures cover only what was measured`));
  }
  return lines;
}
