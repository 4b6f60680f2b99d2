// LatencyRecorder: an HdrHistogram of integer microseconds that encodes compactly and merges exactly.
// Deep imports, not the package index: the index also loads HistogramLogWriter, which builds an Intl.NumberFormat
// at load time and so maps ICU data (~5 MB of RSS in every worker) that a recorder never uses.
import { build } from 'hdr-histogram-js/dist/HistogramBuilder.js';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js/dist/encoding.js';
import type { Histogram } from 'hdr-histogram-js';

/** Percentiles of a recorder: every field is integer microseconds, except `count`. */
export interface LatencySummaryUs {
  /** Number of recorded samples (clamped ones included). */
  count: number;
  min: number;
  /** Mean of the histogram's bucket midpoints, rounded to the nearest integer microsecond. */
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** 99.9th percentile. */
  p999: number;
  max: number;
}

/** One point of a percentile spectrum: the value at `percentile` (0..100), integer microseconds. */
export interface PercentilePointUs {
  percentile: number;
  valueUs: number;
}

/** Highest value tracked before the histogram first resizes itself: one hour. */
export const LATENCY_INITIAL_RANGE_US = 3_600_000_000;

/**
 * Values above this (24 hours) are clamped to it and counted in `overflowSamples`.
 * No real delivery takes a day: such a value is a clock bug, and HdrHistogram breaks above 2^53.
 */
export const LATENCY_CEILING_US = 86_400_000_000;

/** Every histogram this package builds or decodes uses these settings (3 significant digits = 0.1%). */
const HISTOGRAM_SETTINGS = {
  numberOfSignificantValueDigits: 3,
  lowestDiscernibleValue: 1,
  highestTrackableValue: LATENCY_INITIAL_RANGE_US,
  autoResize: true,
  // 64-bit counts: a merged run can hold more than 2^32 samples in one bucket.
  bitBucketSize: 64,
  useWebAssembly: false,
} as const;

/** Set only while `decode()` constructs a recorder around a decoded histogram. */
let adopting: Histogram | undefined;

export class LatencyRecorder {
  /** Samples below 0 us, recorded as 0. Local to this recorder: not part of `encode()`. */
  negativeSamples = 0;
  /** Samples above `LATENCY_CEILING_US`, recorded as the ceiling. Local to this recorder: not part of `encode()`. */
  overflowSamples = 0;

  readonly #histogram: Histogram;

  constructor() {
    this.#histogram = adopting ?? build(HISTOGRAM_SETTINGS);
  }

  /** Records one latency. Rounds to an integer; clamps negatives to 0 and values above the ceiling. */
  record(valueUs: number): void {
    const rounded = Math.round(valueUs);
    if (rounded >= 0 && rounded <= LATENCY_CEILING_US) {
      this.#histogram.recordValue(rounded);
      return;
    }
    this.#recordOutOfRange(valueUs);
  }

  #recordOutOfRange(valueUs: number): void {
    if (Number.isNaN(valueUs) || typeof valueUs !== 'number') {
      throw new TypeError(
        `LatencyRecorder.record() needs a number of microseconds, got ${String(valueUs)}: check the timestamps it was computed from.`,
      );
    }
    if (valueUs < 0) {
      this.negativeSamples++;
      this.#histogram.recordValue(0);
    } else {
      this.overflowSamples++;
      this.#histogram.recordValue(LATENCY_CEILING_US);
    }
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  /**
   * The value at percentile `p` (0..100), in integer microseconds: the highest value equivalent to it within 0.1%.
   * `percentileUs(0)` is the lowest equivalent value of the minimum. Returns 0 when empty.
   */
  percentileUs(p: number): number {
    if (!(p >= 0 && p <= 100)) {
      throw new RangeError(`percentileUs(p) needs 0 <= p <= 100, got ${String(p)}.`);
    }
    return this.#histogram.getValueAtPercentile(p);
  }

  /**
   * The percentile spectrum as HdrHistogram's outputPercentileDistribution walks it: from 0, `ticksPerHalfDistance`
   * points per halving of the distance to 100% (0, 10, ..., 50, 55, ..., 75, 77.5, ...), up to and including
   * `maxPercentile` (default 99.999), each with percentileUs' value there. Ascending percentiles, non-decreasing
   * values; empty when nothing was recorded. Past the histogram's resolution (1 - p < 1 / count) the value is the max.
   */
  percentileSpectrumUs(ticksPerHalfDistance = 5, maxPercentile = 99.999): PercentilePointUs[] {
    if (!(Number.isInteger(ticksPerHalfDistance) && ticksPerHalfDistance >= 1)) {
      throw new RangeError(
        `percentileSpectrumUs() needs ticksPerHalfDistance >= 1, got ${String(ticksPerHalfDistance)}.`,
      );
    }
    if (!(maxPercentile >= 0 && maxPercentile < 100)) {
      throw new RangeError(`percentileSpectrumUs() needs 0 <= maxPercentile < 100, got ${String(maxPercentile)}.`);
    }
    if (this.#histogram.totalCount === 0) return [];
    const points: PercentilePointUs[] = [];
    let percentile = 0;
    // The walk's sums carry binary rounding: a step within 1e-9 of the end is the end itself.
    while (percentile < maxPercentile - 1e-9) {
      points.push({ percentile, valueUs: this.#histogram.getValueAtPercentile(percentile) });
      const halvings = Math.floor(Math.log2(100 / (100 - percentile)));
      percentile += 100 / (ticksPerHalfDistance * 2 ** (halvings + 1));
    }
    points.push({ percentile: maxPercentile, valueUs: this.#histogram.getValueAtPercentile(maxPercentile) });
    return points;
  }

  /** All zeros when empty. min/max/percentiles are bucket bounds (within 0.1%), so they survive encode/decode exactly. */
  summary(): LatencySummaryUs {
    const h = this.#histogram;
    if (h.totalCount === 0) {
      return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
    }
    return {
      count: h.totalCount,
      min: h.getValueAtPercentile(0),
      mean: Math.round(h.mean),
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p95: h.getValueAtPercentile(95),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.getValueAtPercentile(100),
    };
  }

  /** Adds every sample of `other` into this recorder (exact: bucket counts are summed), and its clamp counters. */
  add(other: LatencyRecorder): void {
    this.#histogram.add(other.#histogram);
    this.negativeSamples += other.negativeSamples;
    this.overflowSamples += other.overflowSamples;
  }

  reset(): void {
    this.#histogram.reset();
    this.negativeSamples = 0;
    this.overflowSamples = 0;
  }

  /** The standard HdrHistogram V2 compressed base64 form (readable by any HdrHistogram). Clamp counters are not included. */
  encode(): string {
    return encodeIntoCompressedBase64(this.#histogram);
  }

  /** Decodes `encode()` output. Throws an Error (with the decoder's error as `cause`) on anything else. */
  static decode(encoded: string): LatencyRecorder {
    if (typeof encoded !== 'string' || encoded.trim() === '') {
      throw new TypeError('LatencyRecorder.decode() needs the non-empty string produced by LatencyRecorder.encode().');
    }
    let histogram: Histogram;
    try {
      histogram = decodeFromCompressedBase64(encoded, HISTOGRAM_SETTINGS.bitBucketSize, false);
    } catch (error) {
      throw new Error(
        `LatencyRecorder.decode() could not read the histogram (${encoded.length} chars): it is not the output of LatencyRecorder.encode() or was truncated.`,
        { cause: error },
      );
    }
    histogram.autoResize = true;
    adopting = histogram;
    try {
      return new LatencyRecorder();
    } finally {
      adopting = undefined;
    }
  }
}
