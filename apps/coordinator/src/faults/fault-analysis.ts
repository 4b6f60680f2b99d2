// What each injected fault did, from the workers' traces and the exact losses: who noticed, how long until every
// surviving pair received again, which losses and duplicates it owns, and whether Redis's semantics allow them.
//
// Method (docs/report.md, "faults[]"):
// - Times: each worker's trace is on its own monotonic clock; its clock offset (measured before the run) brings it
//   to the coordinator's, on which faults are injected.
// - An interruption of the pair (sender S, receiver R) is a receipt at R of an event from S after missing sequence
//   numbers or after a silence of max(30 ms, 3 of S's intervals): it started at R's previous receipt from S and
//   ended at this one. An outage of a surviving worker is the time its transport spent away from `ready`.
// - A fault's span starts at its injection and ends at the later of injection + DURATION and the end of the
//   injection (at the end of the injection for slow-consumer, whose DURATION is an upper bound). Every interruption
//   and outage that starts inside the span or up to 250 ms after it (a worker notices a dropped connection late),
//   and ends after the injection and before the next fault's, is the fault's and extends the span to its end: a
//   reconnect that flaps stays one fault.
// - Recovery: from the injection to the latest end of the fault's interruptions and outages: every surviving
//   worker is ready (subscribed) again and every surviving pair received again; 0 when it interrupted nothing.
//   Not recovered when a surviving worker never got back to ready, or a surviving receiver's last event from a
//   surviving sender (its ledger) was meant to be sent before the injection.
// - Window: events intended from 250 ms before the injection (still in flight then) to the later of the span's end
//   and injection + recovery (the end of the run when it never recovered). A lost delivery belongs to the earliest
//   fault whose window holds the event's intended time (from the sender's seq timeline); the rest is lost outside.
//   Duplicates and state changes belong to it by time (the window plus 250 ms), publish failures by the start of
//   their run, "noticed" is each worker's first state change away from `ready` or failed publish inside it.
import type { TraceEvent } from '@evbridge/worker/protocol';
import type { FaultNotice, FaultRecord, FaultStateChange, LostRange } from '../report/types.js';
import { FAULT_KINDS, type FaultKind } from './fault-kinds.js';
import type { WorkerTrace } from './worker-trace.js';

/** Events due this long before an injection may still be in flight when it lands. */
export const FAULT_WINDOW_LEAD_US = 250_000;
/** An interruption or outage starting this long after a fault's span still belongs to it: a worker may notice late. */
export const FAULT_NOTICE_GRACE_US = 250_000;
/** State changes listed per fault at most. */
export const STATE_CHANGES_MAX = 64;

export interface AnalysisFault {
  kind: FaultKind;
  durationMs: number;
  /** On the coordinator's monotonic clock; null when never injected. */
  injectedAtUs: number | null;
  endedAtUs: number | null;
}

export interface AnalysisWorker {
  index: number;
  instanceId: string;
  /** Worker clock minus coordinator clock. */
  clockOffsetUs: number;
  /** False for a worker a fault killed: no receiver, and pairs with it are not awaited for recovery. */
  survived: boolean;
  trace: WorkerTrace;
  /** The highest sequence number received from each sender id (its final ledger); undefined without a final. */
  maxSeqFrom: ReadonlyMap<string, number> | undefined;
}

export interface FaultAnalysisInput {
  faults: readonly AnalysisFault[];
  workers: readonly AnalysisWorker[];
  lostRanges: readonly LostRange[];
  measureStartUs: number;
  measureEndUs: number;
}

export type FaultOutcome = Pick<
  FaultRecord,
  'noticed' | 'stateChanges' | 'recoveryMs' | 'recovered' | 'slowestPair' | 'window' | 'lost' | 'lostRanges' | 'duplicates' | 'publishFailed' | 'verdict'
>;

export interface FaultAnalysis {
  /** One per input fault, in input order. */
  outcomes: FaultOutcome[];
  /** Lost deliveries outside every fault's window. */
  lostOutside: number;
  /** Publishes that failed in runs starting outside every window. */
  publishFailedOutside: number;
}

interface Interruption {
  sender: number;
  receiver: number;
  startUs: number;
  endUs: number;
}

/** Time a surviving worker's transport spent away from `ready` (endUs infinite when it never came back). */
interface Outage {
  worker: number;
  startUs: number;
  endUs: number;
}

interface Span {
  fault: number;
  injectedUs: number;
  fromUs: number;
  toUs: number;
}

export function analyzeFaults(input: FaultAnalysisInput): FaultAnalysis {
  const workers = input.workers;
  const byId = new Map(workers.map((worker) => [worker.instanceId, worker]));
  const toCoordinator = (worker: AnalysisWorker, atUs: number): number => atUs - worker.clockOffsetUs;
  const injected = input.faults
    .map((fault, index) => ({ fault, index, injectedUs: fault.injectedAtUs }))
    .filter((entry): entry is { fault: AnalysisFault; index: number; injectedUs: number } => entry.injectedUs !== null)
    .sort((a, b) => a.injectedUs - b.injectedUs);

  const interruptions: Interruption[] = [];
  for (const receiver of workers) {
    if (!receiver.survived) continue;
    for (const event of receiver.trace.events) {
      if (event.kind !== 'resumed') continue;
      const sender = byId.get(event.sender);
      if (sender === undefined || !sender.survived) continue;
      const endUs = toCoordinator(receiver, event.atUs);
      interruptions.push({ sender: sender.index, receiver: receiver.index, startUs: endUs - event.silenceUs, endUs });
    }
  }
  interruptions.sort((a, b) => a.startUs - b.startUs);
  const outages = workers.filter((worker) => worker.survived).flatMap((worker) => outagesOf(worker, toCoordinator));

  const outcomes: FaultOutcome[] = input.faults.map(() => notInjected());
  const spans: Span[] = [];
  injected.forEach(({ fault, index, injectedUs }, order) => {
    const nextUs = injected[order + 1]?.injectedUs ?? Number.POSITIVE_INFINITY;
    const belongs = (startUs: number, endUs: number, spanEndUs: number): boolean =>
      endUs > injectedUs && endUs <= nextUs && startUs <= spanEndUs + FAULT_NOTICE_GRACE_US;
    const endedUs = fault.endedAtUs ?? injectedUs;
    let spanEndUs = FAULT_KINDS[fault.kind].endsEarly === true ? endedUs : Math.max(injectedUs + fault.durationMs * 1000, endedUs);
    const mine = new Set<Interruption | Outage>();
    // Chains: each interruption or outage taken may start the next one's overlap; repeat until nothing changes.
    for (let changed = true; changed; ) {
      changed = false;
      for (const item of [...interruptions, ...outages]) {
        // An outage that never ended (endUs infinite) ends, for this test, where the next fault begins.
        const endUs = Number.isFinite(item.endUs) ? item.endUs : Math.min(item.endUs, nextUs);
        if (mine.has(item) || !belongs(item.startUs, endUs, spanEndUs)) continue;
        if ('worker' in item && item.startUs < injectedUs) continue;
        mine.add(item);
        spanEndUs = Math.max(spanEndUs, Math.min(item.endUs, input.measureEndUs));
        changed = true;
      }
    }
    let slowest: Interruption | undefined;
    let lastEndUs = injectedUs;
    let outageOpen = false;
    for (const item of mine) {
      if ('worker' in item) {
        if (!Number.isFinite(item.endUs)) outageOpen = true;
        else lastEndUs = Math.max(lastEndUs, item.endUs);
        continue;
      }
      lastEndUs = Math.max(lastEndUs, item.endUs);
      if (!slowest || item.endUs > slowest.endUs) slowest = item;
    }
    const recovered = !outageOpen && everyPairResumed(workers, injectedUs);
    const recoveryUs = lastEndUs - injectedUs;
    const toUs = recovered ? Math.max(spanEndUs, lastEndUs) : Math.max(spanEndUs, input.measureEndUs);
    spans.push({ fault: index, injectedUs, fromUs: injectedUs - FAULT_WINDOW_LEAD_US, toUs });
    const outcome = outcomes[index]!;
    outcome.recovered = recovered;
    outcome.recoveryMs = recovered ? Math.round(recoveryUs / 1000) : null;
    outcome.slowestPair = slowest ? { sender: slowest.sender, receiver: slowest.receiver } : null;
    outcome.window = { fromMs: msAfter(injectedUs - FAULT_WINDOW_LEAD_US, input), toMs: msAfter(toUs, input) };
  });

  const lostOutside = attributeLosses(input.lostRanges, spans, byIndex(workers), outcomes);
  const publishFailedOutside = attributeWorkerEvents(workers, spans, injected, outcomes, input);
  for (const { fault, index } of injected) outcomes[index]!.verdict = verdictOf(fault.kind, outcomes[index]!);
  return { outcomes, lostOutside, publishFailedOutside };
}

/** The periods a worker's transport spent away from `ready`, from its state changes. */
function outagesOf(worker: AnalysisWorker, toCoordinator: (worker: AnalysisWorker, atUs: number) => number): Outage[] {
  const outages: Outage[] = [];
  let startUs: number | undefined;
  const states = worker.trace.events.filter((event) => event.kind === 'state').sort((a, b) => a.atUs - b.atUs);
  for (const event of states) {
    const atUs = toCoordinator(worker, event.atUs);
    if (event.state === 'ready') {
      if (startUs !== undefined) outages.push({ worker: worker.index, startUs, endUs: atUs });
      startUs = undefined;
    } else if (startUs === undefined && event.previous === 'ready') {
      startUs = atUs;
    }
  }
  if (startUs !== undefined) outages.push({ worker: worker.index, startUs, endUs: Number.POSITIVE_INFINITY });
  return outages;
}

function notInjected(): FaultOutcome {
  return {
    noticed: [],
    stateChanges: [],
    recoveryMs: null,
    recovered: false,
    slowestPair: null,
    window: null,
    lost: 0,
    lostRanges: [],
    duplicates: 0,
    publishFailed: 0,
    verdict: { allowed: true, explanation: 'not injected' },
  };
}

/** True when every surviving receiver's last event from every surviving sender was meant for after `injectedUs`. */
function everyPairResumed(workers: readonly AnalysisWorker[], injectedUs: number): boolean {
  for (const receiver of workers) {
    if (!receiver.survived || receiver.maxSeqFrom === undefined) continue;
    for (const sender of workers) {
      if (sender === receiver || !sender.survived) continue;
      const maxSeq = receiver.maxSeqFrom.get(sender.instanceId);
      const intendedUs = maxSeq === undefined ? undefined : sender.trace.intendedUs(maxSeq);
      if (intendedUs === undefined || intendedUs - sender.clockOffsetUs < injectedUs) return false;
    }
  }
  return true;
}

/** Splits each lost range by the windows (earliest fault first); returns what lies outside them all. */
function attributeLosses(
  ranges: readonly LostRange[],
  spans: readonly Span[],
  workers: ReadonlyMap<number, AnalysisWorker>,
  outcomes: FaultOutcome[],
): number {
  let outside = 0;
  for (const range of ranges) {
    const sender = workers.get(range.sender);
    const intendedOf = (seq: number): number | undefined => {
      const intendedUs = sender?.trace.intendedUs(seq);
      return intendedUs === undefined ? undefined : intendedUs - sender!.clockOffsetUs;
    };
    let pieces: Array<[number, number]> = [[range.seqFrom, range.seqTo]];
    for (const span of spans) {
      const rest: Array<[number, number]> = [];
      for (const [from, to] of pieces) {
        const inside = clip(from, to, span.fromUs, span.toUs, intendedOf);
        if (inside === undefined) {
          rest.push([from, to]);
          continue;
        }
        const [insideFrom, insideTo] = inside;
        const count = insideTo - insideFrom + 1;
        const outcome = outcomes[span.fault]!;
        outcome.lost += count;
        outcome.lostRanges.push({ sender: range.sender, receiver: range.receiver, seqFrom: insideFrom, seqTo: insideTo, count });
        if (insideFrom > from) rest.push([from, insideFrom - 1]);
        if (insideTo < to) rest.push([insideTo + 1, to]);
      }
      pieces = rest;
    }
    for (const [from, to] of pieces) outside += to - from + 1;
  }
  return outside;
}

/** The sub-range of [from, to] whose intended times lie in [fromUs, toUs] (intended times grow with seq). */
export function clip(
  from: number,
  to: number,
  fromUs: number,
  toUs: number,
  intendedOf: (seq: number) => number | undefined,
): [number, number] | undefined {
  if (intendedOf(from) === undefined) return undefined;
  const first = lowestSeq(from, to, (seq) => intendedOf(seq)! >= fromUs);
  if (first === undefined) return undefined;
  const afterLast = lowestSeq(first, to, (seq) => intendedOf(seq)! > toUs);
  const last = afterLast === undefined ? to : afterLast - 1;
  return last >= first ? [first, last] : undefined;
}

/** The lowest seq in [from, to] for which `holds` (monotonic: false then true), undefined when none. */
function lowestSeq(from: number, to: number, holds: (seq: number) => boolean): number | undefined {
  if (!holds(to)) return undefined;
  let low = from;
  let high = to;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (holds(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Noticed, state changes, duplicates and publish failures per fault; returns the publish failures outside every window. */
function attributeWorkerEvents(
  workers: readonly AnalysisWorker[],
  spans: readonly Span[],
  injected: ReadonlyArray<{ index: number; injectedUs: number }>,
  outcomes: FaultOutcome[],
  input: FaultAnalysisInput,
): number {
  let publishFailedOutside = 0;
  const spanOf = (atUs: number, slackUs = 0): Span | undefined =>
    spans.find((span) => atUs >= span.fromUs && atUs <= span.toUs + slackUs);
  for (const worker of workers) {
    const events = [...worker.trace.events].sort((a, b) => a.atUs - b.atUs);
    const noticedBy = new Set<number>();
    let failingSinceUs: number | undefined;
    for (const event of events) {
      const atUs = event.atUs - worker.clockOffsetUs;
      if (event.kind === 'duplicate') {
        const span = spanOf(atUs, FAULT_WINDOW_LEAD_US);
        if (span) outcomes[span.fault]!.duplicates += 1;
        continue;
      }
      if (event.kind === 'publish-failures') {
        const span = failingSinceUs === undefined ? undefined : spanOf(failingSinceUs);
        if (span) outcomes[span.fault]!.publishFailed += event.failed;
        else publishFailedOutside += event.failed;
        failingSinceUs = undefined;
        continue;
      }
      if (event.kind === 'publish-failing') failingSinceUs = atUs;
      if (event.kind === 'state') {
        const span = spanOf(atUs, FAULT_WINDOW_LEAD_US);
        const changes = span ? outcomes[span.fault]!.stateChanges : undefined;
        if (changes && changes.length < STATE_CHANGES_MAX) {
          changes.push({ worker: worker.index, atMs: msAfter(atUs, input), previous: event.previous, state: event.state });
        }
      }
      const how = noticeOf(event);
      if (how === undefined) continue;
      for (const { index, injectedUs } of injected) {
        const span = spans.find((candidate) => candidate.fault === index)!;
        if (noticedBy.has(index) || atUs < injectedUs || atUs > span.toUs) continue;
        noticedBy.add(index);
        const notice: FaultNotice = { worker: worker.index, atMs: msAfter(atUs, input), afterMs: Math.round((atUs - injectedUs) / 1000), how };
        outcomes[index]!.noticed.push(notice);
        break;
      }
    }
    // A run of failures the worker never closed (it was killed): at least one publish failed.
    if (failingSinceUs !== undefined) {
      const span = spanOf(failingSinceUs);
      if (span) outcomes[span.fault]!.publishFailed += 1;
      else publishFailedOutside += 1;
    }
  }
  for (const outcome of outcomes) {
    outcome.noticed.sort((a, b) => a.atMs - b.atMs || a.worker - b.worker);
    outcome.stateChanges.sort((a, b) => a.atMs - b.atMs || a.worker - b.worker);
  }
  return publishFailedOutside;
}

/** How a trace event shows a fault: leaving `ready`, or a failed publish. */
function noticeOf(event: TraceEvent): string | undefined {
  if (event.kind === 'state' && event.state !== 'ready') return `state ${event.previous} -> ${event.state}`;
  if (event.kind === 'publish-failing') return `publish failed: ${event.error}`;
  return undefined;
}

function verdictOf(kind: FaultKind, outcome: FaultOutcome): FaultOutcome['verdict'] {
  const allows = FAULT_KINDS[kind].allows;
  const parts: string[] = [];
  let allowed = true;
  if (outcome.lost === 0) parts.push('nothing lost');
  else if (allows.loss !== null) parts.push(`${outcome.lost} lost, allowed: ${allows.loss}`);
  else {
    allowed = false;
    parts.push(`${outcome.lost} lost, not allowed: Redis drops no event through ${kind}, so the loss is the bridge's or the harness's`);
  }
  if (outcome.duplicates === 0) parts.push('no duplicates');
  else if (allows.duplicates !== null) parts.push(`${outcome.duplicates} duplicates, allowed: ${allows.duplicates}`);
  else {
    allowed = false;
    parts.push(`${outcome.duplicates} duplicates, not allowed: ${kind} drops no publisher connection, so no PUBLISH was sent twice`);
  }
  return { allowed, explanation: parts.join('; ') };
}

function byIndex(workers: readonly AnalysisWorker[]): Map<number, AnalysisWorker> {
  return new Map(workers.map((worker) => [worker.index, worker]));
}

function msAfter(atUs: number, input: Pick<FaultAnalysisInput, 'measureStartUs'>): number {
  return Math.round((atUs - input.measureStartUs) / 1000);
}
