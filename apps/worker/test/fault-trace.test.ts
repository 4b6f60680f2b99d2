// The worker's fault trace on a fake clock: seq timeline segments, publish-failure runs, resumptions, duplicates,
// the batches it hands to stats messages, and that those batches pass the protocol's validation.
import { LatencyRecorder } from '@evbridge/metrics';
import { describe, expect, it } from 'vitest';
import { FaultTrace, MIN_SILENCE_US, silenceThresholdUs } from '../src/fault-trace.js';
import { emptyBridgeCounters, emptyWindowCounters, TRACE_EVENTS_MAX } from '@evbridge/protocol';
import { parseWorkerMessage } from '@evbridge/protocol/schema';
import { SeqTimeline, TIMELINE_SEGMENTS_MAX } from '../src/seq-timeline.js';

function fakeClock(startUs = 1_000_000) {
  let nowUs = startUs;
  return { now: () => nowUs, advance: (us: number) => (nowUs += us) };
}

describe('SeqTimeline', () => {
  it('keeps an evenly paced schedule in one segment, despite the pacer rounding intervals to 1 us', () => {
    const timeline = new SeqTimeline();
    const intervalUs = 1e6 / 300;
    for (let seq = 10; seq < 1000; seq += 1) timeline.add(seq, 5_000_000 + Math.round((seq - 10) * intervalUs));
    expect(timeline.segments).toEqual([[10, 999, 5_000_000, 5_000_000 + Math.round(989 * intervalUs)]]);
  });

  it('starts a segment where publishes failed without taking a seq (a step of several intervals)', () => {
    const timeline = new SeqTimeline();
    for (let seq = 0; seq < 5; seq += 1) timeline.add(seq, 1000 + seq * 10_000);
    // Events due at 51_000 .. 91_000 failed fast: the next seq (5) is due at 101_000.
    for (let seq = 5; seq < 8; seq += 1) timeline.add(seq, 101_000 + (seq - 5) * 10_000);
    expect(timeline.segments).toEqual([
      [0, 4, 1000, 41_000],
      [5, 7, 101_000, 121_000],
    ]);
  });

  it('sends each segment once, and the last one again while it grows', () => {
    const timeline = new SeqTimeline();
    expect(timeline.takeUpdate()).toEqual({ fromIndex: 0, segments: [], truncated: false });
    timeline.add(0, 0);
    timeline.add(1, 10);
    expect(timeline.takeUpdate()).toEqual({ fromIndex: 0, segments: [[0, 1, 0, 10]], truncated: false });
    timeline.add(2, 20);
    timeline.add(3, 500);
    expect(timeline.takeUpdate()).toEqual({
      fromIndex: 0,
      segments: [
        [0, 2, 0, 20],
        [3, 3, 500, 500],
      ],
      truncated: false,
    });
    expect(timeline.takeUpdate()).toEqual({ fromIndex: 1, segments: [[3, 3, 500, 500]], truncated: false });
  });

  it('stops at TIMELINE_SEGMENTS_MAX segments and says so', () => {
    const timeline = new SeqTimeline();
    // Every other seq: no two are consecutive, so each opens a segment.
    for (let index = 0; index <= TIMELINE_SEGMENTS_MAX + 5; index += 1) timeline.add(index * 2, index * 1000);
    expect(timeline.segments).toHaveLength(TIMELINE_SEGMENTS_MAX);
    expect(timeline.takeUpdate().truncated).toBe(true);
  });
});

describe('FaultTrace', () => {
  it('records a resumption after missing seqs or after a silence, not for a steady stream', () => {
    const clock = fakeClock();
    const trace = new FaultTrace(clock.now);
    trace.setSenderRate(100);
    expect(silenceThresholdUs(100)).toBe(MIN_SILENCE_US);
    expect(silenceThresholdUs(10)).toBe(300_000);
    let atUs = 2_000_000;
    trace.received('a', 0, -1, atUs - 500, atUs);
    for (let seq = 1; seq < 5; seq += 1) {
      atUs += 10_000;
      trace.received('a', seq, seq - 1, atUs - 500, atUs);
    }
    // seqs 5 and 6 never arrive; 7 does, on time.
    atUs += 30_000;
    trace.received('a', 7, 4, atUs - 500, atUs);
    // then a silence of 200 ms.
    atUs += 200_000;
    trace.received('a', 8, 7, atUs - 500, atUs);
    trace.duplicate('a', 8, atUs + 1);
    const { events } = trace.take();
    expect(events).toEqual([
      { kind: 'resumed', atUs: 2_070_000, sender: 'a', seq: 7, intendedUs: 2_069_500, silenceUs: 30_000, missed: 2 },
      { kind: 'resumed', atUs: 2_270_000, sender: 'a', seq: 8, intendedUs: 2_269_500, silenceUs: 200_000, missed: 0 },
      { kind: 'duplicate', atUs: 2_270_001, sender: 'a', seq: 8 },
    ]);
    expect(trace.take().events).toEqual([]);
  });

  it('records a run of publish failures once: when it opens and when it ends, with the count', () => {
    const clock = fakeClock();
    const trace = new FaultTrace(clock.now);
    trace.publishSucceeded();
    expect(trace.publishFailed(new Error('EventBridge is reconnecting'))).toBe(true);
    clock.advance(10_000);
    expect(trace.publishFailed(new Error('again'))).toBe(false);
    expect(trace.publishFailed(new Error('again'))).toBe(false);
    clock.advance(5_000);
    trace.publishSucceeded();
    trace.publishFailed(new TypeError('x'.repeat(500)));
    trace.publishingStopped();
    trace.state(1_020_000, 'reconnecting', 'ready');
    const { events } = trace.take();
    expect(events[0]).toEqual({
      kind: 'publish-failing',
      atUs: 1_000_000,
      error: 'Error: EventBridge is reconnecting',
    });
    expect(events[1]).toEqual({ kind: 'publish-failures', atUs: 1_015_000, failed: 3, resumed: true });
    expect(events[2]).toMatchObject({ kind: 'publish-failing', atUs: 1_015_000 });
    expect((events[2] as { error: string }).error).toHaveLength(200);
    expect(events[3]).toEqual({ kind: 'publish-failures', atUs: 1_015_000, failed: 1, resumed: false });
    expect(events[4]).toEqual({ kind: 'state', atUs: 1_020_000, state: 'reconnecting', previous: 'ready' });
  });

  it('keeps the first seq taken and the highest acknowledged, and caps the events a batch carries', () => {
    const trace = new FaultTrace(fakeClock().now);
    trace.published(40, 100);
    trace.published(41, 110);
    trace.acked(41);
    trace.acked(40);
    for (let index = 0; index < TRACE_EVENTS_MAX + 7; index += 1) trace.duplicate('b', index, index);
    const batch = trace.take();
    expect(batch.firstMeasuredSeq).toBe(40);
    expect(batch.lastAckedSeq).toBe(41);
    expect(batch.events).toHaveLength(TRACE_EVENTS_MAX);
    expect(batch.eventsDropped).toBe(7);
    expect(batch.timeline).toEqual({ fromIndex: 0, segments: [[40, 41, 100, 110]], truncated: false });
    expect(trace.take().eventsDropped).toBe(0);
  });

  it('hands batches the protocol accepts on a stats message, and refuses a broken one', () => {
    const trace = new FaultTrace(fakeClock().now);
    trace.state(5, 'reconnecting', 'ready');
    trace.published(0, 10);
    const stats = {
      type: 'stats',
      atUs: 1,
      interval: 1,
      intervalLatencyUs: new LatencyRecorder().encode(),
      intervalTransitUs: new LatencyRecorder().encode(),
      window: emptyWindowCounters(),
      gapsSoFar: 0,
      bridge: emptyBridgeCounters(),
      resources: { rssBytes: 1, heapUsedBytes: 1, cpuPercent: 0, eventLoopDelayUs: { p50: 0, p99: 0, max: 0 } },
    };
    const batch = trace.take();
    const parsed = parseWorkerMessage({ ...stats, trace: batch });
    expect(parsed.ok && parsed.message.type === 'stats' && parsed.message.trace).toEqual(batch);
    const broken = parseWorkerMessage({
      ...stats,
      trace: { ...trace.take(), events: [{ kind: 'state', atUs: -1, state: 'x', previous: 'y' }] },
    });
    expect(broken).toEqual({ ok: false, error: expect.stringMatching(/^trace\.events\.0\.atUs/) });
  });
});
