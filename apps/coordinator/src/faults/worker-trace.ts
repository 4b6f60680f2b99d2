// One worker's fault trace, merged from the batches its stats, stopped and final messages carried.
import type { TraceEvent, TraceMessage } from '@evbridge/protocol';

/** Measured sequence numbers seqFrom..seqTo were due from intendedFromUs to intendedToUs, evenly spaced. */
export type TimelineSegment = readonly [seqFrom: number, seqTo: number, intendedFromUs: number, intendedToUs: number];

export class WorkerTrace {
  readonly events: TraceEvent[] = [];
  readonly segments: TimelineSegment[] = [];
  eventsDropped = 0;
  timelineTruncated = false;
  firstMeasuredSeq = -1;
  lastAckedSeq = -1;

  /** Adds one batch, in the order the worker sent them. */
  add(batch: TraceMessage | undefined): void {
    if (batch === undefined) return;
    this.events.push(...batch.events);
    this.eventsDropped += batch.eventsDropped;
    const { fromIndex, segments, truncated } = batch.timeline;
    // The first segment of a batch may be one sent before that has grown since.
    this.segments.splice(fromIndex, this.segments.length - fromIndex, ...segments);
    this.timelineTruncated ||= truncated;
    if (batch.firstMeasuredSeq >= 0) this.firstMeasuredSeq = batch.firstMeasuredSeq;
    this.lastAckedSeq = Math.max(this.lastAckedSeq, batch.lastAckedSeq);
  }

  /**
   * The intended send time of measured `seq`: interpolated within its segment (exact to the pacer's 1 us rounding),
   * extrapolated along the nearest segment for a seq outside every one (a killed worker's last events, after its
   * last stats), undefined without any segment.
   */
  intendedUs(seq: number): number | undefined {
    const segments = this.segments;
    if (segments.length === 0) return undefined;
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (segments[middle]![0] <= seq) low = middle;
      else high = middle - 1;
    }
    const segment = segments[low]!;
    return along(segment[0] > seq && low > 0 ? segments[low - 1]! : segment, seq);
  }
}

function along([seqFrom, seqTo, fromUs, toUs]: TimelineSegment, seq: number): number {
  if (seqTo === seqFrom) return fromUs;
  return Math.round(fromUs + ((seq - seqFrom) * (toUs - fromUs)) / (seqTo - seqFrom));
}
