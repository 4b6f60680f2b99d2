// The service-level objective a --find-max step must hold, and the one it holds unless told otherwise.

/** What a rate must hold to count as sustainable. */
export interface Slo {
  /** Delivered / expected deliveries, 0..1; 1 = every event reached every peer (OMB never checks this). */
  minDeliveryRatio: number;
  /** Latency p99 from the intended send time must stay strictly below this, microseconds. */
  maxP99Us: number;
  /** Achieved publish rate / target rate, 0..1. */
  minPublishRatio: number;
}

export const DEFAULT_SLO: Slo = Object.freeze({ minDeliveryRatio: 1, maxP99Us: 10_000, minPublishRatio: 0.97 });
