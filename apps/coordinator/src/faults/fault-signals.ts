// What the workers noted about each fault (fault trace events): who noticed it, the state changes in its window, the
// duplicates it caused, and the publishes that failed during it.
import type { TraceEvent } from '@evbridge/protocol';
import type { FaultNotice } from '../model/report.js';
import {
  FAULT_WINDOW_LEAD_US,
  msAfter,
  STATE_CHANGES_MAX,
  type AnalysisWorker,
  type FaultAnalysisInput,
  type FaultOutcome,
  type Span,
} from './fault-analysis-types.js';

/** Noticed, state changes, duplicates and publish failures per fault; returns the publish failures outside every window. */
export function attributeWorkerEvents(
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
      const atUs = event.atUs;
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
          changes.push({
            worker: worker.index,
            atMs: msAfter(atUs, input),
            previous: event.previous,
            state: event.state,
          });
        }
      }
      const how = noticeOf(event);
      if (how === undefined) continue;
      for (const { index, injectedUs } of injected) {
        const span = spans.find((candidate) => candidate.fault === index)!;
        if (noticedBy.has(index) || atUs < injectedUs || atUs > span.toUs) continue;
        noticedBy.add(index);
        const notice: FaultNotice = {
          worker: worker.index,
          atMs: msAfter(atUs, input),
          afterMs: Math.round((atUs - injectedUs) / 1000),
          how,
        };
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
