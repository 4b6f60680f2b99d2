// What a worker measures per event, folded once per stats message: the run's latency histogram must hold every
// sample exactly once, whatever the stats messages took out as intervals.
import { LatencyRecorder } from '@evbridge/metrics';
import { describe, expect, it } from 'vitest';
import { Measurement } from '../src/measurement.js';

const payload = (intendedUs: number, sentUs: number) => ({ i: intendedUs, s: sentUs, p: '' });

describe('Measurement', () => {
  it('every received event is in exactly one interval, and the run histogram is the sum of the intervals', () => {
    const m = new Measurement();
    m.setWindow({ startUs: 0, endUs: 1e12 });
    for (let seq = 0; seq < 5; seq += 1) m.onReceived('a', seq, payload(1_000, 1_100), 1_000 + 100 * (seq + 1));
    const first = LatencyRecorder.decode(m.encodeInterval(m.closeInterval()).latencyUs);
    for (let seq = 5; seq < 8; seq += 1) m.onReceived('a', seq, payload(1_000, 1_100), 5_000);
    m.onReceived('a', 3, payload(1_000, 1_100), 9_000); // a duplicate: counted as one, never as a latency
    const all = m.latency().summary();
    const secondInterval = m.encodeInterval(m.closeInterval());
    const second = LatencyRecorder.decode(secondInterval.latencyUs);
    expect(first.summary().count).toBe(5);
    expect(second.summary().count).toBe(3);
    expect(all.count).toBe(8);
    expect(all.min).toBe(100);
    expect(Math.abs(all.max - 4_000)).toBeLessThanOrEqual(4); // HdrHistogram: 3 significant digits
    expect(m.latency().summary()).toEqual(all);
    expect(m.window.duplicates).toBe(1);
    expect(m.window.delivered).toBe(8);
    expect(m.transit().summary().count).toBe(8);
    expect(LatencyRecorder.decode(secondInterval.transitLatencyUs).summary().count).toBe(3);
    expect(secondInterval.warmup).toBeUndefined();
  });

  it('warm-up events reach only the interval that carries them, never the run histograms', () => {
    const m = new Measurement();
    m.setWindow({ startUs: 10_000, endUs: 1e12 });
    m.onWarmupReceived(payload(1_000, 1_100), 1_500);
    m.onWarmupReceived(payload(2_000, 2_100), 2_900);
    m.onReceived('a', 0, payload(10_000, 10_050), 10_300);
    const closed = m.closeInterval();
    // Closed at the boundary: already in the run's histograms, and new events go to the next interval.
    expect(m.latency().summary().count).toBe(1);
    m.onReceived('a', 1, payload(10_000, 10_050), 10_400);
    const interval = m.encodeInterval(closed);
    expect(LatencyRecorder.decode(interval.latencyUs).summary().count).toBe(1);
    expect(interval.warmup).toBeDefined();
    const warmup = LatencyRecorder.decode(interval.warmup?.latencyUs ?? '').summary();
    expect([warmup.count, warmup.min]).toEqual([2, 500]);
    expect(LatencyRecorder.decode(interval.warmup?.transitLatencyUs ?? '').summary().count).toBe(2);
    expect(m.latency().summary().count).toBe(2);
    expect(m.transit().summary().count).toBe(2);
    const next = m.encodeInterval(m.closeInterval());
    expect(next.warmup).toBeUndefined();
    expect(LatencyRecorder.decode(next.latencyUs).summary().count).toBe(1);
    // The recorders are reused: the one encoded first is empty again when it comes round.
    expect(LatencyRecorder.decode(m.encodeInterval(m.closeInterval()).latencyUs).summary().count).toBe(0);
  });

  it('an interval closed and never encoded still counts in the run, and never comes back into a later one', () => {
    const m = new Measurement();
    m.setWindow({ startUs: 0, endUs: 1e12 });
    m.onReceived('a', 0, payload(1_000, 1_100), 2_000);
    m.closeInterval(); // its stats were dropped: never encoded
    m.closeInterval(); // swaps those recorders back in
    m.onReceived('a', 1, payload(1_000, 1_100), 3_000);
    expect(LatencyRecorder.decode(m.encodeInterval(m.closeInterval()).latencyUs).summary().count).toBe(1);
    expect(m.latency().summary().count).toBe(2);
  });
});
