// Envelope v2, the batch: the events one bridge published in one event-loop turn, in one message.

import {
  BATCH_ENVELOPE_VERSION,
  ENVELOPE_VERSION,
  eventFieldsProblem,
  eventId,
  parseMessage,
  shape,
  sourceFieldsProblem,
  validateEnvelope,
  type Envelope,
  type MalformedKind,
} from './envelope.js';

/**
 * One batch on the wire, exactly as the encoder writes it (key order as below; the source first, so a receiver can
 * tell its own batch by a prefix):
 * `{"v":2,"src":..,"pid":..,"host":..,"nonce":..,"events":[{"seq":..,"ts":..,"type":..,"data":..},...]}`.
 * - `v` 2 · `src`, `pid`, `host`, `nonce` as in v1, once for every event of the batch
 * - `events` one or more events in publish order (consecutive `seq`), each with v1's `seq`, `ts`, `type`, `data`;
 *   an event's id is `${src}/${seq}`, as in v1, and is not repeated on the wire.
 */
export interface BatchEnvelope {
  v: 2;
  src: string;
  pid: number;
  host: string;
  nonce: string;
  events: BatchEvent[];
}

export interface BatchEvent<T = unknown> {
  seq: number;
  ts: number;
  type: string;
  data: T;
}

/** A message a receiver accepts: one v1 envelope, or one v2 batch. */
export type MessageResult =
  | { ok: true; envelope: Envelope; batch?: undefined }
  | { ok: true; batch: BatchEnvelope; envelope?: undefined }
  | { ok: false; kind: MalformedKind; reason: string };

export type BatchValidationResult = { ok: true; batch: BatchEnvelope } | { ok: false; kind: 'shape'; reason: string };

/**
 * Check a parsed value with `v: 2` against the batch format by hand. A batch is valid or malformed as a whole: one
 * invalid event makes the whole message malformed 'shape' (counted once; none of its events is delivered).
 * Unknown extra keys, of the batch or of an event, are ignored.
 */
export function validateBatch(value: Record<string, unknown>): BatchValidationResult {
  const problem = sourceFieldsProblem(value);
  if (problem !== undefined) return shape(problem);
  const events = value.events;
  if (!Array.isArray(events) || events.length === 0) return shape("'events' must be a non-empty array");
  for (let index = 0; index < events.length; index++) {
    const event: unknown = events[index];
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      return shape(`'events[${index}]' is not a JSON object`);
    }
    const eventProblem = eventFieldsProblem(event as Record<string, unknown>);
    if (eventProblem !== undefined) return shape(`'events[${index}]': ${eventProblem}`);
  }
  return { ok: true, batch: value as unknown as BatchEnvelope };
}

/**
 * Decode one inbound message as a receiver of this release does: size check, one `JSON.parse`, then a v2 batch
 * (`validateBatch`) or else a v1 envelope (`validateEnvelope`, which drops any other version as 'version').
 * Never throws.
 */
export function decodeMessage(raw: string | Uint8Array, maxPayloadBytes: number): MessageResult {
  const parsed = parseMessage(raw, maxPayloadBytes);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value === 'object' && value !== null && (value as Record<string, unknown>).v === BATCH_ENVELOPE_VERSION) {
    return validateBatch(value as Record<string, unknown>);
  }
  return validateEnvelope(value);
}

/** One event of a batch as the v1 envelope it would have been without coalescing: handlers cannot tell. */
export function envelopeOfBatchEvent(batch: BatchEnvelope, event: BatchEvent): Envelope {
  return {
    v: ENVELOPE_VERSION,
    id: eventId(batch.src, event.seq),
    src: batch.src,
    pid: batch.pid,
    host: batch.host,
    nonce: batch.nonce,
    seq: event.seq,
    ts: event.ts,
    type: event.type,
    data: event.data,
  };
}
