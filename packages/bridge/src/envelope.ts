// Envelope v1, the wire format: pure encode / decode / validate functions (no I/O, no bridge state).

/**
 * The version of a single-event envelope (below), what every bridge writes by default. `validateEnvelope` and
 * `decodeEnvelope` read v1 only: any other `v` is dropped as malformed 'version'.
 */
export const ENVELOPE_VERSION = 1;

/**
 * The version of a batch envelope (envelope-batch.ts): several events of one source in one message, written only
 * by a bridge with `coalesce: 'tick'`. A new `v` rather than a v1 extension because a v1 reader must not misread it:
 * a bridge of an older release drops it as malformed 'version' (roll out readers before writers). A bridge of this
 * release reads both v1 and v2 (`decodeMessage`), whatever its own `coalesce` setting.
 */
export const BATCH_ENVELOPE_VERSION = 2;

/** Default upper bound of one encoded envelope, in bytes of UTF-8 (1 MiB). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * One event on the wire, exactly as JSON-encoded (key order as below). See README "Envelope v1".
 * - `v` version (1) · `id` `${src}/${seq}` · `src` source instance id · `pid` source OS pid · `host` source host
 * - `nonce` source bridge's random nonce · `seq` per-source sequence (0, 1, 2, ...) · `ts` epoch microseconds
 * - `type` event type · `data` any JSON value (`null` allowed, never absent).
 */
export interface Envelope<T = unknown> {
  v: 1;
  id: string;
  src: string;
  pid: number;
  host: string;
  nonce: string;
  seq: number;
  ts: number;
  type: string;
  data: T;
}

/** Why an inbound message was dropped. */
export type MalformedKind = 'json' | 'shape' | 'version' | 'oversized';

/** Every MalformedKind, for iteration (counters, tests). */
export const MALFORMED_KINDS: readonly MalformedKind[] = ['json', 'shape', 'version', 'oversized'];

export type DecodeResult = { ok: true; envelope: Envelope } | { ok: false; kind: MalformedKind; reason: string };

export type ValidationResult =
  | { ok: true; envelope: Envelope }
  | { ok: false; kind: 'shape' | 'version'; reason: string };

/** What handlers receive next to `data`: the envelope's fields with readable names. */
export interface EventMeta {
  /** Unique event id, `${source}/${seq}`. */
  id: string;
  /** Instance id of the publishing bridge. */
  source: string;
  /** OS pid of the publishing process. */
  pid: number;
  host: string;
  /** Random nonce of the publishing bridge instance. */
  nonce: string;
  /** Per-source sequence number, 0-based, in publish order. */
  seq: number;
  /** Publisher's wall clock at publish, integer epoch microseconds. */
  timestampUs: number;
  type: string;
  version: number;
}

/**
 * Serialise an envelope: one `JSON.stringify`. Throws a `TypeError` (with `cause`) when `data` cannot be
 * represented: `undefined` (JSON would drop the key and every receiver would count it malformed), BigInt,
 * circular structures.
 */
export function encodeEnvelope(envelope: Envelope): string {
  if (envelope.data === undefined) {
    throw new TypeError(`event '${envelope.type}' data is undefined, which JSON cannot carry: send null instead`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(envelope);
  } catch (cause) {
    throw new TypeError(
      `event '${envelope.type}' data is not JSON-serialisable (BigInt or circular?): convert it before publishing`,
      { cause },
    );
  }
  return json;
}

/** Size of `json` in UTF-8 bytes, without encoding it when the answer is obvious from its length. */
export function utf8ByteLength(json: string, limit: number): number {
  // A UTF-16 code unit encodes to 1..3 UTF-8 bytes (a surrogate pair, 2 units, to 4).
  if (json.length * 3 <= limit) return json.length;
  return Buffer.byteLength(json, 'utf8');
}

/**
 * Decode one inbound message: size check, one `JSON.parse`, hand validation. Never throws.
 * `raw` is the message as received (a Buffer from ioredis, or a string).
 */
export function decodeEnvelope(
  raw: string | Uint8Array,
  maxPayloadBytes: number = DEFAULT_MAX_PAYLOAD_BYTES,
): DecodeResult {
  const parsed = parseMessage(raw, maxPayloadBytes);
  return parsed.ok ? validateEnvelope(parsed.value) : parsed;
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; kind: 'json' | 'oversized'; reason: string };

/** The first two steps of decoding any message: size check, then one `JSON.parse`. Never throws. */
export function parseMessage(raw: string | Uint8Array, maxPayloadBytes: number): ParseResult {
  let text: string;
  if (typeof raw === 'string') {
    if (raw.length > maxPayloadBytes || utf8ByteLength(raw, maxPayloadBytes) > maxPayloadBytes) {
      return { ok: false, kind: 'oversized', reason: `message is larger than ${maxPayloadBytes} bytes` };
    }
    text = raw;
  } else {
    if (raw.byteLength > maxPayloadBytes) {
      return { ok: false, kind: 'oversized', reason: `message is ${raw.byteLength} bytes, above ${maxPayloadBytes}` };
    }
    text = (Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)).toString('utf8');
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, kind: 'json', reason: 'message is not valid JSON' };
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function shape(reason: string): { ok: false; kind: 'shape'; reason: string } {
  return { ok: false, kind: 'shape', reason };
}

/** What is wrong with the source fields (`src`, `pid`, `host`, `nonce`) of a v1 or v2 envelope, if anything. */
export function sourceFieldsProblem(e: Record<string, unknown>): string | undefined {
  if (!isNonEmptyString(e.src)) return "'src' must be a non-empty string";
  if (!isNonNegativeInteger(e.pid)) return "'pid' must be a non-negative integer";
  if (!isNonEmptyString(e.host)) return "'host' must be a non-empty string";
  if (!isNonEmptyString(e.nonce)) return "'nonce' must be a non-empty string";
  return undefined;
}

/** What is wrong with the event fields (`seq`, `ts`, `type`, `data`) of a v1 envelope or a v2 batch event, if anything. */
export function eventFieldsProblem(e: Record<string, unknown>): string | undefined {
  if (!isNonNegativeInteger(e.seq)) return "'seq' must be a non-negative integer";
  if (!isNonNegativeInteger(e.ts)) return "'ts' must be a non-negative integer (epoch microseconds)";
  if (!isNonEmptyString(e.type)) return "'type' must be a non-empty string";
  if (!('data' in e)) return "'data' is missing (use null for no data)";
  return undefined;
}

/**
 * Check a parsed value against envelope v1 by hand (typeof per field, no schema library).
 * The version is checked before the other fields: another version may have another shape.
 * Unknown extra fields are ignored (additive changes stay within v1).
 */
export function validateEnvelope(value: unknown): ValidationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return shape('envelope is not a JSON object');
  const e = value as Record<string, unknown>;
  if (typeof e.v !== 'number' || !Number.isInteger(e.v)) return shape("'v' must be an integer");
  if (e.v !== ENVELOPE_VERSION) {
    return {
      ok: false,
      kind: 'version',
      reason: `unsupported envelope version ${e.v} (this bridge reads ${ENVELOPE_VERSION})`,
    };
  }
  if (!isNonEmptyString(e.id)) return shape("'id' must be a non-empty string");
  const problem = sourceFieldsProblem(e) ?? eventFieldsProblem(e);
  if (problem !== undefined) return shape(problem);
  return { ok: true, envelope: e as unknown as Envelope };
}

/** The handler-facing view of an envelope (everything but `data`). */
export function metaFromEnvelope(envelope: Envelope): EventMeta {
  return {
    id: envelope.id,
    source: envelope.src,
    pid: envelope.pid,
    host: envelope.host,
    nonce: envelope.nonce,
    seq: envelope.seq,
    timestampUs: envelope.ts,
    type: envelope.type,
    version: envelope.v,
  };
}

/** The event id of the `seq`-th event of a source: unique as long as instance ids are (see README). */
export function eventId(source: string, seq: number): string {
  return `${source}/${seq}`;
}
