// find-max's text output: the header, one line per step as it finishes, and the answer.

import { formatDurationMs } from '../config/duration.js';
import { formatSizeBytes } from '../config/size.js';
import { formatDecimal, formatInteger, formatPercent, formatUs } from '../render/format.js';
import type { FindMaxArm, FindMaxResult, FindMaxStep } from './find-max.js';
import type { Slo } from '../config/slo.js';
import { describeSlo } from './slo.js';

/** A target rate as given: whole rates without decimals ("12,000/s"), others with up to two ("62.5/s"). */
export function formatTargetRate(eventsPerSec: number): string {
  const text = Number.isInteger(eventsPerSec)
    ? formatInteger(eventsPerSec)
    : formatDecimal(eventsPerSec, 2).replace(/\.?0+$/, '');
  return `${text}/s`;
}

export interface SearchHeader {
  transport: FindMaxArm;
  procs: number;
  /** --mode: worker processes (default) or worker threads of one process. */
  mode?: 'procs' | 'threads';
  payloadBytes: number;
  startRateEventsPerSec: number;
  slo: Slo;
  stepDurationMs: number;
  stepWarmupMs: number;
  maxSteps: number;
}

export function formatHeader(header: SearchHeader): string {
  return (
    `find-max: ${header.transport}, ${header.procs} ${header.mode === 'threads' ? 'threads' : 'procs'}, payload ${formatSizeBytes(header.payloadBytes)}, ` +
    `from ${formatTargetRate(header.startRateEventsPerSec)}; SLO ${describeSlo(header.slo)}; ` +
    `steps of ${formatDurationMs(header.stepDurationMs)} after ${formatDurationMs(header.stepWarmupMs)} warm-up, at most ${header.maxSteps}`
  );
}

/** "step 3  4,000/s  FAIL (p99 12,345 us >= 10,000 us)  delivery 100%  p99 12,345 us  published 3,998.2/s  lost 0  9.1s" */
export function formatStepLine(step: FindMaxStep, index: number): string {
  const verdict = step.passed ? 'pass' : `FAIL (${step.reasons.join('; ')})`;
  return [
    `step ${index + 1}`,
    formatTargetRate(step.rateEventsPerSec),
    verdict,
    `delivery ${formatPercent(step.deliveryRatio)}`,
    `p99 ${formatUs(step.p99Us)}`,
    `published ${formatDecimal(step.publishedEventsPerSec, 1)}/s`,
    `lost ${formatInteger(step.lost)}`,
    formatDurationMs(Math.round(step.durationMs / 100) * 100),
  ].join('  ');
}

/** The answer, with the nearest failing rate above it so the reader sees how tight it is. */
export function formatAnswer(result: FindMaxResult): string {
  const where = `${result.transport}, ${result.procs} procs, ${result.steps.length} steps`;
  const max = result.maxRateEventsPerSec;
  if (max === null) {
    const lowest = Math.min(...result.steps.map((step) => step.rateEventsPerSec));
    const tried = result.steps.length === 0 ? 'no step was measured' : `not even ${formatTargetRate(lowest)} held it`;
    return `max rate: none holds the SLO (${where}): ${tried}`;
  }
  const fails = result.steps
    .filter((step) => !step.passed && step.rateEventsPerSec > max)
    .map((step) => step.rateEventsPerSec);
  const above =
    fails.length === 0
      ? 'no rate tried failed, the ceiling is higher (raise --max-steps)'
      : `${formatTargetRate(Math.min(...fails))} failed`;
  const perProc = formatTargetRate(Math.round((max / result.procs) * 100) / 100);
  return `max rate: ${formatTargetRate(max)} total (${perProc} per process) holds the SLO (${where}); ${above}`;
}
