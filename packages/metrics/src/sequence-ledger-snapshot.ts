// The JSON form of a SequenceLedger, and its validation at the boundary (IPC, files).

/** Plain-JSON state of one SequenceLedger. */
export interface SequenceLedgerSnapshot {
  /** Received sequence numbers: sorted, disjoint, non-adjacent inclusive [from, to] intervals. */
  intervals: Array<[number, number]>;
  /** Distinct sequence numbers received: the total length of `intervals`. */
  received: number;
  duplicates: number;
  outOfOrder: number;
  /** End of the last interval, -1 when `intervals` is empty. */
  maxSeq: number;
}

const FIELDS = ['intervals', 'received', 'duplicates', 'outOfOrder', 'maxSeq'] as const;

/** Returns `input` typed as a snapshot, or throws a TypeError naming the first thing wrong with it. */
export function parseSequenceLedgerSnapshot(input: unknown): SequenceLedgerSnapshot {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid(`expected an object, got ${describe(input)}`);
  }
  const record = input as Record<string, unknown>;
  for (const field of FIELDS) {
    if (!(field in record)) throw invalid(`missing field "${field}"`);
  }
  const { intervals, received, duplicates, outOfOrder, maxSeq } = record;
  if (!Array.isArray(intervals)) throw invalid(`"intervals" must be an array, got ${describe(intervals)}`);

  const parsed: Array<[number, number]> = [];
  let total = 0;
  let previousTo = -2;
  intervals.forEach((interval: unknown, i) => {
    if (!Array.isArray(interval) || interval.length !== 2) {
      throw invalid(`intervals[${i}] must be a [from, to] pair, got ${describe(interval)}`);
    }
    const [from, to] = interval as [unknown, unknown];
    if (!isCount(from) || !isCount(to)) {
      throw invalid(`intervals[${i}] must hold non-negative integers, got [${describe(from)}, ${describe(to)}]`);
    }
    if (from > to) throw invalid(`intervals[${i}] = [${from}, ${to}] has from > to`);
    if (from <= previousTo) {
      throw invalid(
        `intervals[${i}] = [${from}, ${to}] overlaps or precedes intervals[${i - 1}] (must be sorted and disjoint)`,
      );
    }
    if (from === previousTo + 1) {
      throw invalid(`intervals[${i}] = [${from}, ${to}] is adjacent to intervals[${i - 1}] (they must be merged)`);
    }
    parsed.push([from, to]);
    total += to - from + 1;
    previousTo = to;
  });

  for (const [name, value] of [
    ['received', received],
    ['duplicates', duplicates],
    ['outOfOrder', outOfOrder],
  ] as const) {
    if (!isCount(value)) throw invalid(`"${name}" must be a non-negative integer, got ${describe(value)}`);
  }
  if (received !== total) {
    throw invalid(`"received" is ${String(received)} but the intervals hold ${total} sequence numbers`);
  }
  const lastTo = parsed.length === 0 ? -1 : previousTo;
  if (maxSeq !== lastTo) throw invalid(`"maxSeq" is ${describe(maxSeq)} but the last interval ends at ${lastTo}`);

  return {
    intervals: parsed,
    received: total,
    duplicates: duplicates as number,
    outOfOrder: outOfOrder as number,
    maxSeq: lastTo,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return String(value);
}

function invalid(problem: string): TypeError {
  return new TypeError(`Invalid SequenceLedger snapshot: ${problem}. Pass the output of SequenceLedger.toJSON().`);
}
