// What each fault did, computed from fake traces: recovery, the window, losses split exactly, duplicates, publish
// failures, who noticed, and the verdict against Redis's semantics. Pure logic: no process, no Redis.
import type { TraceEvent } from '@evbridge/protocol';
import { describe, expect, it } from 'vitest';
import {
  analyzeFaults,
  clip,
  FAULT_WINDOW_LEAD_US,
  type AnalysisFault,
  type AnalysisWorker,
} from '../src/faults/fault-analysis.js';
import { parseClientList } from '../src/faults/client-list.js';
import { WorkerTrace } from '../src/faults/worker-trace.js';
import type { LostRange } from '../src/model/report.js';

const MEASURE_START_US = 8_000_000;
const MEASURE_END_US = 18_000_000;
/** Each worker publishes every 10 ms: seq s was due at 8 s + s x 10 ms, so seq 200 is due at the injection. */
const INTERVAL_US = 10_000;
const INJECTED_US = 10_000_000;
const dueUs = (seq: number): number => MEASURE_START_US + seq * INTERVAL_US;

function worker(index: number, events: TraceEvent[], options: Partial<AnalysisWorker> = {}): AnalysisWorker {
  const trace = new WorkerTrace();
  trace.add({
    events,
    eventsDropped: 0,
    timeline: { fromIndex: 0, segments: [[0, 999, dueUs(0), dueUs(999)]], truncated: false },
    firstMeasuredSeq: 0,
    lastAckedSeq: 999,
  });
  const ids = ['a', 'b', 'c'];
  return {
    index,
    instanceId: ids[index]!,
    survived: true,
    trace,
    maxSeqFrom: new Map(ids.filter((_, other) => other !== index).map((id) => [id, 799])),
    ...options,
  };
}

const outage = (startUs: number, endUs: number): TraceEvent[] => [
  { kind: 'state', atUs: startUs, state: 'reconnecting', previous: 'ready' },
  { kind: 'state', atUs: endUs, state: 'ready', previous: 'reconnecting' },
];

const resumed = (sender: string, atUs: number, silenceUs: number, missed: number, seq = 210): TraceEvent => ({
  kind: 'resumed',
  atUs,
  sender,
  seq,
  intendedUs: dueUs(seq),
  silenceUs,
  missed,
});

const fault = (
  kind: AnalysisFault['kind'],
  durationMs = 0,
  injectedAtUs: number | null = INJECTED_US,
): AnalysisFault => ({
  kind,
  durationMs,
  injectedAtUs,
  endedAtUs: injectedAtUs === null ? null : injectedAtUs + 3_000,
});

const range = (sender: number, receiver: number, seqFrom: number, seqTo: number): LostRange => ({
  sender,
  receiver,
  seqFrom,
  seqTo,
  count: seqTo - seqFrom + 1,
});

const analyze = (faults: AnalysisFault[], workers: AnalysisWorker[], lostRanges: LostRange[] = []) =>
  analyzeFaults({ faults, workers, lostRanges, measureStartUs: MEASURE_START_US, measureEndUs: MEASURE_END_US });

describe('analyzeFaults', () => {
  it('kill-subscribers: noticed by all, recovered when the last pair received again, losses split at the window', () => {
    const workers = [
      worker(0, [
        ...outage(INJECTED_US + 2_000, INJECTED_US + 55_000),
        { kind: 'publish-failing', atUs: INJECTED_US + 4_000, error: 'BridgeNotReadyError: x' },
        { kind: 'publish-failures', atUs: INJECTED_US + 56_000, failed: 5, resumed: true },
      ]),
      worker(1, [
        ...outage(INJECTED_US + 3_000, INJECTED_US + 57_000),
        resumed('a', INJECTED_US + 70_000, 80_000, 3),
        resumed('c', INJECTED_US + 64_000, 70_000, 0),
      ]),
      worker(2, [...outage(INJECTED_US + 2_500, INJECTED_US + 56_000)]),
    ];
    // a's 201..203 (due 10 ms to 30 ms after the injection) never reached b; a's 600 (4 s later) never reached c.
    const { outcomes, lostOutside, publishFailedOutside } = analyze([fault('kill-subscribers')], workers, [
      range(0, 1, 201, 203),
      range(0, 2, 600, 600),
    ]);
    const outcome = outcomes[0]!;
    expect(outcome.recovered).toBe(true);
    expect(outcome.recoveryMs).toBe(70);
    expect(outcome.slowestPair).toEqual({ sender: 0, receiver: 1 });
    expect(outcome.window).toEqual({ fromMs: 2000 - FAULT_WINDOW_LEAD_US / 1000, toMs: 2070 });
    expect(outcome.lost).toBe(3);
    expect(outcome.lostRanges).toEqual([range(0, 1, 201, 203)]);
    expect(lostOutside).toBe(1);
    expect(outcome.noticed.map((notice) => [notice.worker, notice.afterMs, notice.how])).toEqual([
      [0, 2, 'state ready -> reconnecting'],
      [1, 3, 'state ready -> reconnecting'],
      [2, 3, 'state ready -> reconnecting'],
    ]);
    expect(outcome.stateChanges).toHaveLength(6);
    expect(outcome.publishFailed).toBe(5);
    expect(publishFailedOutside).toBe(0);
    expect(outcome.verdict).toEqual({
      allowed: true,
      explanation:
        '3 lost, allowed: pub/sub is at most once: events published while a subscriber is disconnected are gone; no duplicates',
    });
  });

  it('cuts a lost range at the window edges, each piece exact', () => {
    // 180..260: due 1.8 s to 2.6 s; the window of a 100 ms outage runs from 1.75 s to 2.1 s.
    const workers = [worker(0, []), worker(1, outage(INJECTED_US + 1_000, INJECTED_US + 100_000)), worker(2, [])];
    const { outcomes, lostOutside } = analyze([fault('restart-redis', 50)], workers, [range(0, 1, 170, 260)]);
    expect(outcomes[0]!.window).toEqual({ fromMs: 1750, toMs: 2100 });
    expect(outcomes[0]!.lostRanges).toEqual([range(0, 1, 175, 210)]);
    expect(lostOutside).toBe(175 - 170 + (260 - 210));
  });

  it('is not recovered while a surviving worker never gets back to ready, and then owns every later loss', () => {
    const workers = [
      worker(0, [{ kind: 'state', atUs: INJECTED_US + 2_000, state: 'reconnecting', previous: 'ready' }]),
      worker(1, []),
      worker(2, []),
    ];
    const { outcomes, lostOutside } = analyze([fault('restart-redis', 1000)], workers, [range(0, 1, 700, 799)]);
    expect(outcomes[0]).toMatchObject({
      recovered: false,
      recoveryMs: null,
      window: { fromMs: 1750, toMs: 10_000 },
      lost: 100,
    });
    expect(lostOutside).toBe(0);
  });

  it('is not recovered when a receiver never got an event its sender meant for after the injection', () => {
    const workers = [
      worker(0, []),
      worker(1, [], {
        maxSeqFrom: new Map([
          ['a', 150],
          ['c', 799],
        ]),
      }),
      worker(2, []),
    ];
    expect(analyze([fault('pause-redis', 500)], workers).outcomes[0]).toMatchObject({
      recovered: false,
      recoveryMs: null,
    });
  });

  it('chains an interruption that starts before the previous one ended into the same fault', () => {
    const workers = [
      worker(0, []),
      worker(1, [resumed('a', INJECTED_US + 700_000, 705_000, 0), resumed('a', INJECTED_US + 1_100_000, 200_000, 0)]),
      worker(2, [resumed('a', INJECTED_US + 3_000_000, 40_000, 0)]),
    ];
    const outcome = analyze([fault('stop-worker', 500)], workers).outcomes[0]!;
    // The first silence ended at 700 ms, past the 500 ms fault; the second began at 900 ms, within 250 ms of that:
    // the same fault's, and it ended at 1.1 s.
    expect(outcome.recoveryMs).toBe(1100);
    // A hiccup 3 s later, long after the span, is not.
    expect(outcome.window!.toMs).toBe(3100);
  });

  it('kill-worker: pairs with the killed worker are not awaited, its receiving is not judged, survivors unaffected', () => {
    const workers = [
      worker(0, [], { survived: false, maxSeqFrom: undefined }),
      worker(1, [resumed('a', INJECTED_US + 400_000, 400_000, 0)]),
      worker(2, []),
    ];
    workers[1]!.maxSeqFrom = new Map([
      ['a', 199],
      ['c', 799],
    ]);
    const outcome = analyze([fault('kill-worker')], workers).outcomes[0]!;
    expect(outcome).toMatchObject({ recovered: true, recoveryMs: 0, slowestPair: null, noticed: [] });
    expect(outcome.verdict.explanation).toBe('nothing lost; no duplicates');
  });

  it('counts duplicates by receive time and says when Redis allows them', () => {
    const duplicate = (atUs: number): TraceEvent => ({ kind: 'duplicate', atUs, sender: 'a', seq: 201 });
    const workers = [
      worker(0, []),
      worker(1, [duplicate(INJECTED_US + 60_000), duplicate(INJECTED_US + 5_000_000)]),
      worker(2, []),
    ];
    const allowed = analyze([fault('kill-publishers')], workers).outcomes[0]!;
    expect(allowed.duplicates).toBe(1);
    expect(allowed.verdict.allowed).toBe(true);
    expect(allowed.verdict.explanation).toMatch(/^nothing lost; 1 duplicates, allowed: a PUBLISH in flight/);
    const notAllowed = analyze([fault('kill-subscribers')], workers).outcomes[0]!;
    expect(notAllowed.verdict).toEqual({
      allowed: false,
      explanation:
        'nothing lost; 1 duplicates, not allowed: kill-subscribers drops no publisher connection, so no PUBLISH was sent twice',
    });
    const lossNotAllowed = analyze([fault('pause-redis', 500)], workers, [range(0, 1, 201, 201)]).outcomes[0]!;
    expect(lossNotAllowed.verdict.allowed).toBe(false);
    expect(lossNotAllowed.verdict.explanation).toMatch(
      /^1 lost, not allowed: Redis drops no event through pause-redis/,
    );
  });

  it('gives each loss to the earliest fault whose window holds it, and reports a fault never injected as such', () => {
    const later = INJECTED_US + 100_000;
    const workers = [worker(0, []), worker(1, [resumed('a', INJECTED_US + 300_000, 300_000, 20)]), worker(2, [])];
    // 185..200 were due in both windows (the first one's ends at its injection + 3 ms): the first fault's.
    const { outcomes } = analyze(
      [fault('kill-subscribers'), fault('kill-publishers', 0, later), fault('pause-redis', 500, null)],
      workers,
      [range(0, 1, 185, 220)],
    );
    expect(outcomes[0]!.lostRanges).toEqual([range(0, 1, 185, 200)]);
    expect(outcomes[1]!.lostRanges).toEqual([range(0, 1, 201, 220)]);
    expect(outcomes[2]).toMatchObject({
      window: null,
      recoveryMs: null,
      lost: 0,
      verdict: { allowed: true, explanation: 'not injected' },
    });
  });
});

describe('clip', () => {
  const intendedOf = (seq: number) => seq * 10;
  it('returns the seqs whose intended time lies in the window, or nothing', () => {
    expect(clip(0, 100, 95, 305, intendedOf)).toEqual([10, 30]);
    expect(clip(0, 100, -50, 5000, intendedOf)).toEqual([0, 100]);
    expect(clip(0, 100, 2000, 3000, intendedOf)).toBeUndefined();
    expect(clip(50, 60, 0, 100, intendedOf)).toBeUndefined();
    expect(clip(5, 5, 50, 50, intendedOf)).toEqual([5, 5]);
    expect(clip(0, 10, 0, 100, () => undefined)).toBeUndefined();
  });
});

describe('WorkerTrace', () => {
  it('merges batches: events appended, the grown last segment replaced, intended times interpolated and extrapolated', () => {
    const trace = new WorkerTrace();
    expect(trace.intendedUs(5)).toBeUndefined();
    trace.add({
      events: [],
      eventsDropped: 1,
      timeline: { fromIndex: 0, segments: [[0, 9, 0, 90]], truncated: false },
      firstMeasuredSeq: 0,
      lastAckedSeq: 8,
    });
    trace.add({
      events: [],
      eventsDropped: 0,
      timeline: {
        fromIndex: 0,
        segments: [
          [0, 19, 0, 190],
          [20, 29, 500, 590],
        ],
        truncated: false,
      },
      firstMeasuredSeq: 0,
      lastAckedSeq: 27,
    });
    expect(trace.segments).toEqual([
      [0, 19, 0, 190],
      [20, 29, 500, 590],
    ]);
    expect([trace.intendedUs(7), trace.intendedUs(20), trace.intendedUs(25), trace.intendedUs(35)]).toEqual([
      70, 500, 550, 650,
    ]);
    expect(trace.eventsDropped).toBe(1);
    expect(trace.lastAckedSeq).toBe(27);
  });
});

describe('parseClientList', () => {
  it('reads id, name and flags of each client line', () => {
    const reply =
      'id=5 addr=127.0.0.1:1 laddr=127.0.0.1:2 fd=8 name=evbridge:pub:vm:1:abc age=0 idle=0 flags=N db=0 sub=0 psub=0 cmd=publish\n' +
      'id=7 addr=127.0.0.1:3 fd=9 name= age=1 idle=0 flags=P db=0 sub=1 psub=0 cmd=subscribe\n\n';
    expect(parseClientList(reply)).toEqual([
      { id: 5, name: 'evbridge:pub:vm:1:abc', flags: 'N' },
      { id: 7, name: '', flags: 'P' },
    ]);
  });
});
