// Which lost deliveries belong to which fault: each lost range cut at the windows by the intended send times of its
// sequence numbers (from the sender's seq timeline), each part to the earliest fault whose window holds it.
import type { LostRange } from '../model/report.js';
import type { AnalysisWorker, FaultOutcome, Span } from './fault-analysis-types.js';

/** Splits each lost range by the windows (earliest fault first); returns what lies outside them all. */
export function attributeLosses(
  ranges: readonly LostRange[],
  spans: readonly Span[],
  workers: ReadonlyMap<number, AnalysisWorker>,
  outcomes: FaultOutcome[],
): number {
  let outside = 0;
  for (const range of ranges) {
    const sender = workers.get(range.sender);
    const intendedOf = (seq: number): number | undefined => sender?.trace.intendedUs(seq);
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
        outcome.lostRanges.push({
          sender: range.sender,
          receiver: range.receiver,
          seqFrom: insideFrom,
          seqTo: insideTo,
          count,
        });
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
