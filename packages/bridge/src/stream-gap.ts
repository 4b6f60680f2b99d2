// Redis Streams bookkeeping without I/O: entry ids compared, XINFO STREAM read, and trimmed gaps behind a cursor found.

/** `ms-seq`, as Redis writes entry ids. */
const ENTRY_ID = /^(\d+)-(\d+)$/;

/** Compare two entry ids (`ms-seq`, no leading zeros) exactly, without converting to numbers: <0, 0, >0. */
export function compareEntryIds(a: string, b: string): number {
  const [msA = '0', seqA = '0'] = a.split('-');
  const [msB = '0', seqB = '0'] = b.split('-');
  return compareDigits(msA, msB) || compareDigits(seqA, seqB);
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isEntryId(value: string): boolean {
  return ENTRY_ID.test(value);
}

/** The fields of XINFO STREAM (Redis >= 7) the reader needs. */
export interface StreamInfo {
  length: number;
  lastGeneratedId: string;
  /** The newest id ever deleted (trimmed or XDEL), `0-0` if none. */
  maxDeletedEntryId: string;
  /** Entries ever added to the stream: the ordinal of the newest one. */
  entriesAdded: number;
  /** The id of the oldest entry still in the stream (`0-0` when empty). */
  recordedFirstEntryId: string;
}

/** Read XINFO STREAM's flat `[name, value, ...]` reply; throws naming what is missing (Redis < 7 lacks some). */
export function parseStreamInfo(reply: unknown): StreamInfo {
  if (!Array.isArray(reply)) throw new Error('XINFO STREAM replied with something other than a list');
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  const text = (name: string): string => {
    const value = fields.get(name);
    if (value === undefined) throw new Error(`XINFO STREAM has no '${name}': at-least-once delivery needs Redis >= 7`);
    return String(value);
  };
  return {
    length: Number(text('length')),
    lastGeneratedId: text('last-generated-id'),
    maxDeletedEntryId: text('max-deleted-entry-id'),
    entriesAdded: Number(text('entries-added')),
    recordedFirstEntryId: text('recorded-first-entry-id'),
  };
}

/**
 * Where a reader stands: the id of the last entry it handled, and that entry's ordinal in the stream (entries-added
 * when it was added) when known. The ordinal turns a gap into a count.
 */
export interface StreamCursor {
  id: string;
  ordinal: number | undefined;
}

/**
 * Stream entries that were trimmed (or deleted) before this reader handled them: every entry with an id after
 * `afterId` and before `beforeId` (null: the stream held nothing after the cursor). `count` is exact when the
 * reader knew its ordinal, else null. `reason`: `trimmed` (MAXLEN or XDEL removed them), `reset` (the stream is
 * younger than the cursor, or gone: Redis lost data, e.g. a restart without persistence).
 */
export interface StreamGap {
  afterId: string;
  beforeId: string | null;
  count: number | null;
  reason: 'trimmed' | 'reset';
}

export interface GapCheck {
  gap: StreamGap | undefined;
  /** The ordinal of the first entry read (undefined if none, or unknown). */
  firstOrdinal: number | undefined;
}

/**
 * Was anything lost between `cursor` and `firstReadId` (the first entry an XREAD from the cursor returned, in the
 * same MULTI as the XREAD), given `info` (null: no such stream)? Redis trims a stream from its head only, so entries
 * after the cursor were trimmed exactly when the first entry read is the stream's first and its ordinal
 * (entries-added - length + 1) is beyond the one after the cursor's. (Redis 7.0 leaves max-deleted-entry-id at 0-0
 * when it trims: it is used only for XDEL, and for a cursor whose ordinal is unknown.)
 */
export function checkGap(cursor: StreamCursor, firstReadId: string | undefined, info: StreamInfo | null): GapCheck {
  if (info === null) {
    // No stream: fine for a new namespace; gone after the cursor moved means Redis lost it.
    const gap: StreamGap | undefined =
      cursor.id === '0-0' ? undefined : { afterId: cursor.id, beforeId: null, count: null, reason: 'reset' };
    return { gap, firstOrdinal: undefined };
  }
  const firstIsHead = firstReadId !== undefined && firstReadId === info.recordedFirstEntryId;
  const headOrdinal = info.entriesAdded - info.length + 1;
  if (cursor.ordinal !== undefined && info.entriesAdded < cursor.ordinal) {
    return {
      gap: { afterId: cursor.id, beforeId: firstReadId ?? null, count: null, reason: 'reset' },
      firstOrdinal: firstIsHead ? headOrdinal : undefined,
    };
  }
  const trimmed = (count: number | null): GapCheck => ({
    gap: { afterId: cursor.id, beforeId: firstReadId ?? null, count, reason: 'trimmed' },
    firstOrdinal: firstIsHead ? headOrdinal : undefined,
  });
  const deleted =
    compareEntryIds(info.maxDeletedEntryId, cursor.id) > 0 &&
    (firstReadId === undefined || compareEntryIds(info.maxDeletedEntryId, firstReadId) < 0);
  if (cursor.ordinal === undefined) {
    return deleted ? trimmed(null) : { gap: undefined, firstOrdinal: firstIsHead ? headOrdinal : undefined };
  }
  let count = 0;
  if (firstReadId === undefined) count = info.entriesAdded - cursor.ordinal;
  else if (firstIsHead) count = headOrdinal - cursor.ordinal - 1;
  if (count > 0) return trimmed(count);
  // XDEL of entries between the cursor and the first read: a gap the ordinals cannot size.
  if (deleted) return trimmed(null);
  return { gap: undefined, firstOrdinal: firstIsHead ? headOrdinal : cursor.ordinal + 1 };
}
