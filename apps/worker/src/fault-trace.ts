// What a worker notes for the fault report: state changes, publish failures, interrupted receiving, duplicates and
// the intended time of each published sequence number; sent in batches with the stats (never a message of its own).
import { monotonicNowUs, type Clock, type TraceEvent, type TraceMessage, TRACE_EVENTS_MAX } from '@evbridge/protocol';
import { SeqTimeline } from './seq-timeline.js';

/**
 * Receiving from a sender counts as interrupted after a silence this long at least (see silenceThresholdUs): a
 * bridge that reconnects in ~50 ms shows, and the silence of an ordinary scheduling hiccup on a busy host mostly not
 * (one that does only counts when it overlaps a fault).
 */
export const MIN_SILENCE_US = 30_000;
/** ... and of at least this many of the sender's intervals. */
export const SILENCE_INTERVALS = 3;

/** The silence after which a receipt is a resumption: max(30 ms, 3 intervals of one sender). */
export function silenceThresholdUs(senderRateEventsPerSec: number): number {
  return Math.max(MIN_SILENCE_US, Math.round((SILENCE_INTERVALS * 1e6) / senderRateEventsPerSec));
}

export class FaultTrace {
  readonly timeline = new SeqTimeline();
  /** The first measured sequence number taken, -1 before. */
  firstMeasuredSeq = -1;
  /** The highest measured sequence number whose PUBLISH Redis acknowledged, -1 before. */
  lastAckedSeq = -1;
  #events: TraceEvent[] = [];
  #dropped = 0;
  /** Per sender, when its last measured event arrived (an object per sender: one lookup per event, no set). */
  readonly #lastReceipt = new Map<string, { atUs: number }>();
  #failedInRun = 0;
  #silenceUs = MIN_SILENCE_US;

  constructor(private readonly now: Clock = monotonicNowUs) {}

  /** Sets the silence threshold from the rate each peer publishes at. */
  setSenderRate(rateEventsPerSec: number): void {
    this.#silenceUs = silenceThresholdUs(rateEventsPerSec);
  }

  /** The driver changed state (its lifecycle: ready, reconnecting, ...). */
  state(atUs: number, state: string, previous: string): void {
    this.#push({ kind: 'state', atUs, state, previous });
  }

  /** A measured event took sequence number `seq`. */
  published(seq: number, intendedUs: number): void {
    if (this.firstMeasuredSeq < 0) this.firstMeasuredSeq = seq;
    this.timeline.add(seq, intendedUs);
  }

  /** Redis acknowledged the PUBLISH of measured `seq`. */
  acked(seq: number): void {
    if (seq > this.lastAckedSeq) this.lastAckedSeq = seq;
  }

  /** A publish succeeded: closes a run of failures (reads the clock only then: this is on every publish). */
  publishSucceeded(): void {
    if (this.#failedInRun > 0) this.#endFailures(this.now(), true);
  }

  /** A publish failed: the first failure after a success opens a run of failures (then returns true). */
  publishFailed(error: unknown): boolean {
    const opens = this.#failedInRun === 0;
    if (opens) this.#push({ kind: 'publish-failing', atUs: this.now(), error: describeError(error) });
    this.#failedInRun += 1;
    return opens;
  }

  /** Publishing stopped: a run of failures still open is closed, not resumed. */
  publishingStopped(): void {
    if (this.#failedInRun > 0) this.#endFailures(this.now(), false);
  }

  /**
   * A measured event from `sender` arrived (not a duplicate); `previousMaxSeq` is the highest seq received from it
   * before (-1 for none). A receipt after missing sequence numbers or after a silence is a resumption.
   */
  received(sender: string, seq: number, previousMaxSeq: number, intendedUs: number, atUs: number): void {
    const last = this.#lastReceipt.get(sender);
    if (last === undefined) {
      this.#lastReceipt.set(sender, { atUs });
      return;
    }
    const lastUs = last.atUs;
    last.atUs = atUs;
    const missed = previousMaxSeq >= 0 ? seq - previousMaxSeq - 1 : 0;
    const silenceUs = atUs - lastUs;
    if (missed > 0 || silenceUs >= this.#silenceUs) {
      this.#push({ kind: 'resumed', atUs, sender, seq, intendedUs, silenceUs, missed: Math.max(0, missed) });
    }
  }

  /** A measured event from `sender` arrived again. */
  duplicate(sender: string, seq: number, atUs: number): void {
    this.#push({ kind: 'duplicate', atUs, sender, seq });
  }

  /** Everything noted since the last call, for one stats, stopped or final message. */
  take(): TraceMessage {
    const events = this.#events;
    const eventsDropped = this.#dropped;
    this.#events = [];
    this.#dropped = 0;
    return {
      events,
      eventsDropped,
      timeline: this.timeline.takeUpdate(),
      firstMeasuredSeq: this.firstMeasuredSeq,
      lastAckedSeq: this.lastAckedSeq,
    };
  }

  #endFailures(atUs: number, resumed: boolean): void {
    this.#push({ kind: 'publish-failures', atUs, failed: this.#failedInRun, resumed });
    this.#failedInRun = 0;
  }

  #push(event: TraceEvent): void {
    if (this.#events.length >= TRACE_EVENTS_MAX) this.#dropped += 1;
    else this.#events.push(event);
  }
}

/** "BridgeNotReadyError: ..." cut to one short line (the bridge's messages carry no secrets). */
function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
