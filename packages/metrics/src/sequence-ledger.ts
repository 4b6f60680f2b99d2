// SequenceLedger: exact accounting of the sequence numbers one sender's events reached this receiver with.
import { parseSequenceLedgerSnapshot } from './sequence-ledger-snapshot.js';
import type { SequenceLedgerSnapshot } from './sequence-ledger-snapshot.js';

/** What one arrival was: first sight at or past the highest seen, a repeat, or a late fill of an earlier gap. */
export type SequenceOutcome = 'new' | 'duplicate' | 'out-of-order';

/** Sequence numbers never received in a range, as inclusive [from, to] ranges in ascending order. */
export interface MissingSequences {
  count: number;
  ranges: Array<[number, number]>;
}

/**
 * Received sequence numbers kept as sorted, disjoint, non-adjacent inclusive intervals.
 * Memory is O(number of holes + 1): an in-order stream only extends the last interval.
 */
export class SequenceLedger {
  // Parallel arrays: interval i is [starts[i], ends[i]].
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  #received = 0;
  #duplicates = 0;
  #outOfOrder = 0;

  /** Distinct sequence numbers received. */
  get received(): number {
    return this.#received;
  }

  /** Arrivals of a sequence number already received. */
  get duplicates(): number {
    return this.#duplicates;
  }

  /** Arrivals below the highest sequence number seen that filled a hole. */
  get outOfOrder(): number {
    return this.#outOfOrder;
  }

  /** Highest sequence number received, -1 when nothing was. */
  get maxSeq(): number {
    const last = this.#ends.length - 1;
    return last < 0 ? -1 : (this.#ends[last] as number);
  }

  /** Number of intervals held: the memory this ledger uses is proportional to it. */
  get intervalCount(): number {
    return this.#starts.length;
  }

  /** Records one arrival of `seq` (a non-negative safe integer). O(1) in order, O(log n + n moves) when filling a hole. */
  record(seq: number): SequenceOutcome {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError(`SequenceLedger.record() needs a non-negative integer sequence number, got ${String(seq)}.`);
    }
    const ends = this.#ends;
    const last = ends.length - 1;
    const lastEnd = last < 0 ? -1 : (ends[last] as number);
    if (seq > lastEnd) {
      if (seq === lastEnd + 1 && last >= 0) {
        ends[last] = seq;
      } else {
        this.#starts.push(seq);
        ends.push(seq);
      }
      this.#received++;
      return 'new';
    }
    return this.#recordBelowMax(seq);
  }

  #recordBelowMax(seq: number): SequenceOutcome {
    const starts = this.#starts;
    const ends = this.#ends;
    const i = this.#lastIntervalStartingAtOrBelow(seq);
    if (i >= 0 && seq <= (ends[i] as number)) {
      this.#duplicates++;
      return 'duplicate';
    }
    // seq lies in the hole between interval i (may be -1: before the first) and interval i + 1 (exists: seq < maxSeq).
    const joinsPrevious = i >= 0 && (ends[i] as number) + 1 === seq;
    const joinsNext = (starts[i + 1] as number) - 1 === seq;
    if (joinsPrevious && joinsNext) {
      ends[i] = ends[i + 1] as number;
      starts.splice(i + 1, 1);
      ends.splice(i + 1, 1);
    } else if (joinsPrevious) {
      ends[i] = seq;
    } else if (joinsNext) {
      starts[i + 1] = seq;
    } else {
      starts.splice(i + 1, 0, seq);
      ends.splice(i + 1, 0, seq);
    }
    this.#received++;
    this.#outOfOrder++;
    return 'out-of-order';
  }

  /** Index of the last interval whose start is <= seq, or -1. */
  #lastIntervalStartingAtOrBelow(seq: number): number {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if ((starts[mid] as number) <= seq) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** Holes so far: sequence numbers missing strictly between the lowest received and `maxSeq`. O(1). */
  gapCount(): number {
    const first = this.#starts[0];
    if (first === undefined) return 0;
    return this.maxSeq - first + 1 - this.#received;
  }

  /** Distinct sequence numbers received within [firstSeq, lastSeq] (inclusive). 0 when lastSeq < firstSeq. */
  receivedIn(firstSeq: number, lastSeq: number): number {
    checkRange('receivedIn', firstSeq, lastSeq);
    let count = 0;
    this.#forEachOverlap(firstSeq, lastSeq, (from, to) => {
      count += to - from + 1;
    });
    return count;
  }

  /**
   * Sequence numbers in [firstSeq, lastSeq] (inclusive) never received, including a head before the lowest
   * received and a tail after `maxSeq`. Empty when lastSeq < firstSeq.
   */
  missing(firstSeq: number, lastSeq: number): MissingSequences {
    checkRange('missing', firstSeq, lastSeq);
    const ranges: Array<[number, number]> = [];
    let count = 0;
    let next = firstSeq;
    this.#forEachOverlap(firstSeq, lastSeq, (from, to) => {
      if (from > next) {
        ranges.push([next, from - 1]);
        count += from - next;
      }
      next = to + 1;
    });
    if (lastSeq >= firstSeq && next <= lastSeq) {
      ranges.push([next, lastSeq]);
      count += lastSeq - next + 1;
    }
    return { count, ranges };
  }

  /** Calls `visit` with each received interval clipped to [firstSeq, lastSeq], in ascending order. */
  #forEachOverlap(firstSeq: number, lastSeq: number, visit: (from: number, to: number) => void): void {
    if (lastSeq < firstSeq) return;
    const starts = this.#starts;
    const ends = this.#ends;
    for (let i = Math.max(0, this.#lastIntervalStartingAtOrBelow(firstSeq)); i < starts.length; i++) {
      const start = starts[i] as number;
      if (start > lastSeq) break;
      const end = ends[i] as number;
      if (end < firstSeq) continue;
      visit(Math.max(start, firstSeq), Math.min(end, lastSeq));
    }
  }

  /** Plain JSON: the intervals and the counters. */
  toJSON(): SequenceLedgerSnapshot {
    return {
      intervals: this.#starts.map((start, i) => [start, this.#ends[i] as number]),
      received: this.#received,
      duplicates: this.#duplicates,
      outOfOrder: this.#outOfOrder,
      maxSeq: this.maxSeq,
    };
  }

  /** Rebuilds a ledger from `toJSON()` output. Throws a TypeError naming the first thing wrong with `snapshot`. */
  static fromJSON(snapshot: unknown): SequenceLedger {
    const valid = parseSequenceLedgerSnapshot(snapshot);
    const ledger = new SequenceLedger();
    for (const [from, to] of valid.intervals) {
      ledger.#starts.push(from);
      ledger.#ends.push(to);
    }
    ledger.#received = valid.received;
    ledger.#duplicates = valid.duplicates;
    ledger.#outOfOrder = valid.outOfOrder;
    return ledger;
  }
}

function checkRange(method: string, firstSeq: number, lastSeq: number): void {
  if (!Number.isSafeInteger(firstSeq) || !Number.isSafeInteger(lastSeq) || firstSeq < 0) {
    throw new RangeError(
      `SequenceLedger.${method}(firstSeq, lastSeq) needs integers with firstSeq >= 0, got ${String(firstSeq)}, ${String(lastSeq)}.`,
    );
  }
}
