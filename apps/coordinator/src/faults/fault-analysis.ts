// What each injected fault did, from the workers' traces and the exact losses: who noticed, how long until every
// surviving pair received again, which losses and duplicates it owns, and whether Redis's semantics allow them.
//
// Method (docs/report.md, "faults[]"):
// - Times: every worker's trace is on the harness clock (its own monotonic clock corrected by the clock table,
//   see clock-offset.ts), the coordinator's, on which faults are injected.
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
import { FAULT_KINDS } from '../model/fault-kinds.js';
import {
  FAULT_NOTICE_GRACE_US,
  FAULT_WINDOW_LEAD_US,
  msAfter,
  type AnalysisFault,
  type AnalysisWorker,
  type FaultAnalysis,
  type FaultAnalysisInput,
  type FaultOutcome,
  type Interruption,
  type Outage,
  type Span,
} from './fault-analysis-types.js';
import { attributeLosses } from './fault-losses.js';
import { attributeWorkerEvents } from './fault-signals.js';
import { verdictOf } from './fault-verdict.js';

export {
  FAULT_NOTICE_GRACE_US,
  FAULT_WINDOW_LEAD_US,
  type AnalysisFault,
  type AnalysisWorker,
  type FaultAnalysis,
  type FaultAnalysisInput,
  type FaultOutcome,
} from './fault-analysis-types.js';
export { clip } from './fault-losses.js';

export function analyzeFaults(input: FaultAnalysisInput): FaultAnalysis {
  const workers = input.workers;
  const byId = new Map(workers.map((worker) => [worker.instanceId, worker]));
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
      const endUs = event.atUs;
      interruptions.push({ sender: sender.index, receiver: receiver.index, startUs: endUs - event.silenceUs, endUs });
    }
  }
  interruptions.sort((a, b) => a.startUs - b.startUs);
  const outages = workers.filter((worker) => worker.survived).flatMap((worker) => outagesOf(worker));

  const outcomes: FaultOutcome[] = input.faults.map(() => notInjected());
  const spans: Span[] = [];
  injected.forEach(({ fault, index, injectedUs }, order) => {
    const nextUs = injected[order + 1]?.injectedUs ?? Number.POSITIVE_INFINITY;
    const belongs = (startUs: number, endUs: number, spanEndUs: number): boolean =>
      endUs > injectedUs && endUs <= nextUs && startUs <= spanEndUs + FAULT_NOTICE_GRACE_US;
    const endedUs = fault.endedAtUs ?? injectedUs;
    let spanEndUs =
      FAULT_KINDS[fault.kind].endsEarly === true ? endedUs : Math.max(injectedUs + fault.durationMs * 1000, endedUs);
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
  for (const { fault, index } of injected)
    outcomes[index]!.verdict = verdictOf(fault.kind, outcomes[index]!, input.delivery);
  return { outcomes, lostOutside, publishFailedOutside };
}

/** The periods a worker's transport spent away from `ready`, from its state changes. */
function outagesOf(worker: AnalysisWorker): Outage[] {
  const outages: Outage[] = [];
  let startUs: number | undefined;
  const states = worker.trace.events.filter((event) => event.kind === 'state').sort((a, b) => a.atUs - b.atUs);
  for (const event of states) {
    const atUs = event.atUs;
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

/** The outcome of a fault before (or without) analysis: nothing noticed, nothing lost. */
export function notInjected(): FaultOutcome {
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
      if (intendedUs === undefined || intendedUs < injectedUs) return false;
    }
  }
  return true;
}

function byIndex(workers: readonly AnalysisWorker[]): Map<number, AnalysisWorker> {
  return new Map(workers.map((worker) => [worker.index, worker]));
}
