// What one worker measures: the delivery ledger, three latency histograms and the measured-window counters.
import { DeliveryLedger, LatencyRecorder } from '@evbridge/metrics';
import { FaultTrace } from './fault-trace.js';
import { type Clock, type WindowCounters, emptyWindowCounters, monotonicNowUs } from '@evbridge/protocol';
import type { MeasurePayload } from './harness-event.js';

export interface MeasureWindow {
  startUs: number;
  endUs: number;
}

/** One interval's recorders, swapped out at its boundary. */
export interface ClosedInterval {
  latency: LatencyRecorder;
  transit: LatencyRecorder;
  warmupLatency: LatencyRecorder;
  warmupTransit: LatencyRecorder;
}

export interface EncodedInterval {
  latencyUs: string;
  transitLatencyUs: string;
  warmup?: { latencyUs: string; transitLatencyUs: string };
}

export class Measurement {
  readonly window: WindowCounters = emptyWindowCounters();
  readonly ledger = new DeliveryLedger();
  /**
   * Receive time - intended send time since the last interval boundary. Each event is recorded here only: each closed
   * interval is folded into #latencyBefore once (one histogram add a second instead of a second record per event).
   */
  intervalLatency = new LatencyRecorder();
  /** The intervals already sent. */
  readonly #latencyBefore = new LatencyRecorder();
  /** Receive time - actual publish call since the last stats message, folded like intervalLatency. */
  intervalTransit = new LatencyRecorder();
  readonly #transitBefore = new LatencyRecorder();
  /** The interval closed last, until its events are in the run's histograms (folded when it is encoded). */
  #unfolded: ClosedInterval | undefined;
  /** The recorders the next boundary swaps in (double buffering: no histogram is allocated per interval). */
  #spare: ClosedInterval = {
    latency: new LatencyRecorder(),
    transit: new LatencyRecorder(),
    warmupLatency: new LatencyRecorder(),
    warmupTransit: new LatencyRecorder(),
  };
  /**
   * Warm-up events (intended before the window) received since the last stats message: the time series shows the
   * warm-up's latency too, and these never reach the run's histograms.
   */
  warmupLatency = new LatencyRecorder();
  warmupTransit = new LatencyRecorder();
  /** Actual publish call - intended send time (recorded by the sender). */
  readonly sendLag = new LatencyRecorder();
  /** What the fault report needs: state changes, publish failures, resumptions, duplicates, the seq timeline. */
  readonly trace: FaultTrace;
  firstMeasuredSeq = -1;
  lastMeasuredSeq = -2;
  #window: MeasureWindow = { startUs: Number.MAX_SAFE_INTEGER, endUs: 0 };

  /** `now`: the harness clock (the fault trace reads it). */
  constructor(now: Clock = monotonicNowUs) {
    this.trace = new FaultTrace(now);
  }

  setWindow(window: MeasureWindow): void {
    this.#window = window;
  }

  inWindow(intendedUs: number): boolean {
    return intendedUs >= this.#window.startUs && intendedUs < this.#window.endUs;
  }

  /**
   * A measured event this worker publishes: `seq` is the sequence number it took, null when the driver refused
   * it before taking one (the bridge fails fast while not ready): such an event has no place in any ledger.
   */
  onPublishing(seq: number | null, intendedUs: number, sentUs: number): void {
    this.sendLag.record(sentUs - intendedUs);
    if (seq === null) return;
    if (this.firstMeasuredSeq < 0) this.firstMeasuredSeq = seq;
    this.lastMeasuredSeq = seq;
    this.trace.published(seq, intendedUs);
  }

  /** A measured event from a peer reached the handler at `nowUs`. */
  onReceived(source: string, seq: number, payload: MeasurePayload, nowUs: number): void {
    const ledger = this.ledger.forSender(source);
    const previousMaxSeq = ledger.maxSeq;
    const outcome = ledger.record(seq);
    if (outcome === 'duplicate') {
      this.window.duplicates += 1;
      this.trace.duplicate(source, seq, nowUs);
      return;
    }
    this.trace.received(source, seq, previousMaxSeq, payload.i, nowUs);
    if (outcome === 'out-of-order') this.window.outOfOrder += 1;
    this.window.delivered += 1;
    this.intervalLatency.record(nowUs - payload.i);
    this.intervalTransit.record(nowUs - payload.s);
  }

  /** A peer's warm-up event reached the handler at `nowUs`: only the time series sees it. */
  onWarmupReceived(payload: MeasurePayload, nowUs: number): void {
    this.warmupLatency.record(nowUs - payload.i);
    this.warmupTransit.record(nowUs - payload.s);
  }

  /**
   * Closes the interval at its boundary, cheaply: swaps in the spare recorders. Encoding the closed ones, and adding
   * them to the run's histograms (encodeInterval), can then wait until later in the interval; latency() and
   * transit() count them meanwhile.
   */
  closeInterval(): ClosedInterval {
    // The previous interval was never encoded (its stats were dropped): its events go to the run's histograms, and
    // its recorders, about to be swapped back in, are emptied.
    const unencoded = this.#unfolded;
    if (unencoded !== undefined) {
      this.#fold(unencoded);
      for (const recorder of Object.values(unencoded)) recorder.reset();
    }
    const closed: ClosedInterval = {
      latency: this.intervalLatency,
      transit: this.intervalTransit,
      warmupLatency: this.warmupLatency,
      warmupTransit: this.warmupTransit,
    };
    const spare = this.#spare;
    this.intervalLatency = spare.latency;
    this.intervalTransit = spare.transit;
    this.warmupLatency = spare.warmupLatency;
    this.warmupTransit = spare.warmupTransit;
    this.#spare = closed;
    this.#unfolded = closed;
    return closed;
  }

  /** Adds a closed interval's measured events to the run's histograms (once). */
  #fold(closed: ClosedInterval): void {
    this.#latencyBefore.add(closed.latency);
    this.#transitBefore.add(closed.transit);
    this.#unfolded = undefined;
  }

  /**
   * The closed interval's histograms, encoded (the warm-up events' absent when none arrived), and its recorders
   * emptied for the next swap. Call it before the next closeInterval, which reuses them.
   */
  encodeInterval(closed: ClosedInterval): EncodedInterval {
    if (this.#unfolded === closed) this.#fold(closed);
    const encoded: EncodedInterval = {
      latencyUs: closed.latency.encode(),
      transitLatencyUs: closed.transit.encode(),
      ...(closed.warmupLatency.count > 0
        ? { warmup: { latencyUs: closed.warmupLatency.encode(), transitLatencyUs: closed.warmupTransit.encode() } }
        : {}),
    };
    for (const recorder of Object.values(closed)) recorder.reset();
    return encoded;
  }

  /** Receive time - intended send time over the whole run so far: the intervals sent and the current one. */
  latency(): LatencyRecorder {
    const all = new LatencyRecorder();
    all.add(this.#latencyBefore);
    if (this.#unfolded !== undefined) all.add(this.#unfolded.latency);
    all.add(this.intervalLatency);
    return all;
  }

  /** Receive time - actual publish call over the whole run so far. */
  transit(): LatencyRecorder {
    const all = new LatencyRecorder();
    all.add(this.#transitBefore);
    if (this.#unfolded !== undefined) all.add(this.#unfolded.transit);
    all.add(this.intervalTransit);
    return all;
  }

  /** True when every sender's last measured event has arrived. */
  hasAllUpTo(expectLastSeq: Record<string, number>, self: string): boolean {
    for (const [sender, lastSeq] of Object.entries(expectLastSeq)) {
      if (sender === self || lastSeq < 0) continue;
      const ledger = this.ledger.get(sender);
      if (!ledger || ledger.maxSeq < lastSeq) return false;
    }
    return true;
  }
}
