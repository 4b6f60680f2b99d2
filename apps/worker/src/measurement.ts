// What one worker measures: the delivery ledger, three latency histograms and the measured-window counters.
import { DeliveryLedger, LatencyRecorder } from '@evbridge/metrics';
import { FaultTrace } from './fault-trace.js';
import type { WindowCounters } from './protocol.js';
import { emptyWindowCounters } from './protocol-values.js';
import type { MeasurePayload } from './harness-event.js';

export interface MeasureWindow {
  startUs: number;
  endUs: number;
}

export class Measurement {
  readonly window: WindowCounters = emptyWindowCounters();
  readonly ledger = new DeliveryLedger();
  /** Receive time - intended send time. */
  readonly latency = new LatencyRecorder();
  /** Same samples, reset at every stats message. */
  readonly intervalLatency = new LatencyRecorder();
  /** Receive time - actual publish call. */
  readonly transit = new LatencyRecorder();
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
   * A measured event this worker publishes: `seq` is the sequence number it took, null when the transport refused
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
    const previousMaxSeq = this.ledger.get(source)?.maxSeq ?? -1;
    const outcome = this.ledger.record(source, seq);
    if (outcome === 'duplicate') {
      this.window.duplicates += 1;
      this.trace.duplicate(source, seq, nowUs);
      return;
    }
    this.trace.received(source, seq, previousMaxSeq, payload.i, nowUs);
    if (outcome === 'out-of-order') this.window.outOfOrder += 1;
    this.window.delivered += 1;
    const latencyUs = nowUs - payload.i;
    this.latency.record(latencyUs);
    this.intervalLatency.record(latencyUs);
    this.transit.record(nowUs - payload.s);
  }

  /** Encodes and resets the interval histogram. */
  takeIntervalLatency(): string {
    const encoded = this.intervalLatency.encode();
    this.intervalLatency.reset();
    return encoded;
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
