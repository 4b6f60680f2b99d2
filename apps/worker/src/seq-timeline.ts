// Which intended send time each published measured sequence number had, kept as a few straight segments.

/** Sequence numbers seqFrom..seqTo (inclusive) were due from intendedFromUs to intendedToUs, evenly spaced. */
export type TimelineSegment = [seqFrom: number, seqTo: number, intendedFromUs: number, intendedToUs: number];

/** What one message carries: the segments from `fromIndex` on (the first of them may have grown since it was sent). */
export interface TimelineUpdate {
  fromIndex: number;
  segments: TimelineSegment[];
  /** True once segments were dropped for the cap (TIMELINE_SEGMENTS_MAX). */
  truncated: boolean;
}

/** Segments kept at most; a run needs one, plus one per interruption of its publishing (about 40 bytes each). */
export const TIMELINE_SEGMENTS_MAX = 10_000;

/**
 * The pacer dues event i at t0 + round(i x interval): consecutive steps differ by at most 1 us from rounding.
 * A step further off (a publish that failed without taking a sequence number, a new schedule) starts a segment.
 */
const STEP_TOLERANCE_US = 1;

/**
 * Sequence numbers are added in increasing order as they are taken. Within a segment the intended time of a
 * sequence number is the linear interpolation of its ends, exact to the pacer's rounding (1 us).
 */
export class SeqTimeline {
  readonly #segments: TimelineSegment[] = [];
  #stepUs = 0;
  /** Index of the first segment the next update carries. */
  #sentFrom = 0;
  #truncated = false;

  get segments(): readonly TimelineSegment[] {
    return this.#segments;
  }

  add(seq: number, intendedUs: number): void {
    const last = this.#segments[this.#segments.length - 1];
    if (last !== undefined && seq === last[1] + 1) {
      const stepUs = intendedUs - last[3];
      if (last[0] === last[1] || Math.abs(stepUs - this.#stepUs) <= STEP_TOLERANCE_US) {
        if (last[0] === last[1]) this.#stepUs = stepUs;
        last[1] = seq;
        last[3] = intendedUs;
        return;
      }
    }
    if (this.#segments.length >= TIMELINE_SEGMENTS_MAX) {
      this.#truncated = true;
      return;
    }
    this.#segments.push([seq, seq, intendedUs, intendedUs]);
  }

  /** The segments not yet sent, and the last one sent (it may have grown). */
  takeUpdate(): TimelineUpdate {
    const fromIndex = this.#sentFrom;
    const segments = this.#segments.slice(fromIndex).map((segment) => [...segment] as TimelineSegment);
    this.#sentFrom = Math.max(0, this.#segments.length - 1);
    return { fromIndex, segments, truncated: this.#truncated };
  }
}
