// What one worker measures: the delivery ledger, three latency histograms and the measured-window counters.
import { DeliveryLedger, LatencyRecorder } from '@evbridge/metrics';
import { FaultTrace } from './fault-trace.js';
import { type WindowCounters, emptyWindowCounters } from '@evbridge/protocol';
import type { MeasurePayload } from './harness-event.js';

export interface MeasureWindow {
  startUs: number;
  endUs: number;
}

export class Measurement {
  readonly window: WindowCounters = emptyWindowCounters();
  readonly ledger = new DeliveryLedger();
  /**
   * Receive time - intended send time since the last stats message. Each event is recorded here only: every stats
   * message folds the interval into #latencyBefore (one histogram add a second instead of a second record per event).
   */
  readonly intervalLatency = new LatencyRecorder();
  /** The intervals already sent. */
  readonly #latencyBefore = new LatencyRecorder();
  /** Receive time - actual publish call since the last stats message, folded like intervalLatency. */
  readonly intervalTransit = new LatencyRecorder();
  readonly #transitBefore = new LatencyRecorder();
  /**
   * Warm-up events (intended before the window) received since the last stats message: the time series shows the
   * warm-up's latency too, and these never reach the run's histograms.
   */
  readonly warmupLatency = new LatencyRecorder();
  readonly warmupTransit = new LatencyRecorder();
  /** Actual publish call - intended send time (recorded by the sender). */
  readonly sendLag = new LatencyRecorder();
  /** What the fault report needs: state changes, publish failures, resumptions, duplicates, the seq timeline. */
  readonly trace = new FaultTrace();
  firstMeasuredSeq = -1;
  lastMeasuredSeq = -2;
  #window: MeasureWindow = { startUs: Number.MAX_SAFE_INTEGER, endUs: 0 };

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
   * The interval's histograms, encoded: the measured events' latency and transit (folded into the run's) and the
   * warm-up events' (absent when none arrived); every interval recorder starts anew.
   */
  takeInterval(): {
    latencyUs: string;
    transitLatencyUs: string;
    warmup?: { latencyUs: string; transitLatencyUs: string };
  } {
    const taken = {
      latencyUs: this.intervalLatency.encode(),
      transitLatencyUs: this.intervalTransit.encode(),
      ...(this.warmupLatency.count > 0
        ? { warmup: { latencyUs: this.warmupLatency.encode(), transitLatencyUs: this.warmupTransit.encode() } }
        : {}),
    };
    this.#latencyBefore.add(this.intervalLatency);
    this.intervalLatency.reset();
    this.#transitBefore.add(this.intervalTransit);
    this.intervalTransit.reset();
    this.warmupLatency.reset();
    this.warmupTransit.reset();
    return taken;
  }

  /** Receive time - intended send time over the whole run so far: the intervals sent and the current one. */
  latency(): LatencyRecorder {
    const all = new LatencyRecorder();
    all.add(this.#latencyBefore);
    all.add(this.intervalLatency);
    return all;
  }

  /** Receive time - actual publish call over the whole run so far. */
  transit(): LatencyRecorder {
    const all = new LatencyRecorder();
    all.add(this.#transitBefore);
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
