// The summary's first lines: a heading with the verdict and what ran, the verdict's reason, and the run's settings.
import { redisKindShort } from '../render/redis-kind.js';
import { formatDurationMs } from '../config/duration.js';
import { formatSizeBytes } from '../config/size.js';
import { formatDecimal } from '../render/format.js';
import { createStyle } from '../render/style.js';
import { verdictLine } from '../render/thresholds-section.js';
import { inlineText } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

export function verdictHeading(report: SummaryInput): string[] {
  const { run } = report;
  const what = [
    report.passed ? 'PASS' : 'FAIL',
    report.outcome,
    run.driver.name,
    `${run.procs} ${run.mode} x ${formatDecimal(run.rateEventsPerSec, 1)} events/s`,
    formatDurationMs(run.durationMs),
  ];
  const settings = [
    `run ${run.id}`,
    `started ${run.startedAt}`,
    `${formatDurationMs(run.warmupMs)} warm-up`,
    `${formatSizeBytes(run.payloadBytes)} payloads`,
    `${run.pacer} pacer`,
    `${run.delivery ?? 'at-most-once'} delivery`,
    `Redis ${run.redis.version}${redisKindShort(run.redis) === '' ? '' : ` (${redisKindShort(run.redis)})`}`,
    `Node ${run.nodeVersion}`,
  ];
  return [
    `## evbridge harness: ${inlineText(what.join(' · '))}`,
    '',
    `**${inlineText(verdictLine(report, createStyle(false)))}**`,
    '',
    inlineText(settings.join(' · ')),
  ];
}
