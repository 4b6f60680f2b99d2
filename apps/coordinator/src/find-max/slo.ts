// The verdict of the service-level objective (config/slo.ts) on one find-max step's figures.

import type { Slo } from '../config/slo.js';
import { formatDecimal, formatPercent, formatUs } from '../render/format.js';

/** The figures of one measured step that the SLO looks at. */
export interface StepFigures {
  targetEventsPerSec: number;
  deliveryRatio: number;
  p99Us: number;
  /** Latency samples behind p99; 0 means p99 says nothing. */
  latencySamples: number;
  publishedEventsPerSec: number;
  /**
   * The resolution of publishedEventsPerSec: one event per process over the measured window. Each process publishes
   * a whole number of events, so at 3.1 events/s per process a 5 s window holds 15 or 16; the publish check allows
   * this much so that rounding alone never fails a step. 0 = exact.
   */
  publishResolutionEventsPerSec: number;
}

export interface StepVerdict {
  passed: boolean;
  /** One short phrase per objective missed; empty when passed. */
  reasons: string[];
}

export function judgeStep(figures: StepFigures, slo: Slo): StepVerdict {
  const reasons: string[] = [];
  if (!(figures.deliveryRatio >= slo.minDeliveryRatio)) {
    reasons.push(`delivery ${formatPercent(figures.deliveryRatio)} < ${formatPercent(slo.minDeliveryRatio)}`);
  }
  if (figures.latencySamples === 0) {
    reasons.push('no latency samples');
  } else if (!(figures.p99Us < slo.maxP99Us)) {
    reasons.push(`p99 ${formatUs(figures.p99Us)} >= ${formatUs(slo.maxP99Us)}`);
  }
  const minPublished = slo.minPublishRatio * figures.targetEventsPerSec;
  if (!(figures.publishedEventsPerSec + figures.publishResolutionEventsPerSec >= minPublished)) {
    reasons.push(
      `published ${formatDecimal(figures.publishedEventsPerSec, 1)}/s < ${formatPercent(slo.minPublishRatio)} of ${formatDecimal(figures.targetEventsPerSec, 1)}/s`,
    );
  }
  return { passed: reasons.length === 0, reasons };
}

/** "delivery >= 100%, p99 < 10,000 us, publish >= 97% of target" */
export function describeSlo(slo: Slo): string {
  return `delivery >= ${formatPercent(slo.minDeliveryRatio)}, p99 < ${formatUs(slo.maxP99Us)}, publish >= ${formatPercent(slo.minPublishRatio)} of target`;
}

/** Throws a TypeError naming the field when an SLO is out of range (validate at the boundary). */
export function assertValidSlo(slo: Slo): void {
  const ratio = (value: number): boolean => Number.isFinite(value) && value >= 0 && value <= 1;
  if (!ratio(slo.minDeliveryRatio))
    throw new TypeError(`slo.minDeliveryRatio must be a ratio from 0 to 1 (got ${slo.minDeliveryRatio})`);
  if (!ratio(slo.minPublishRatio))
    throw new TypeError(`slo.minPublishRatio must be a ratio from 0 to 1 (got ${slo.minPublishRatio})`);
  if (!(Number.isSafeInteger(slo.maxP99Us) && slo.maxP99Us > 0)) {
    throw new TypeError(`slo.maxP99Us must be a positive whole number of microseconds (got ${slo.maxP99Us})`);
  }
}
