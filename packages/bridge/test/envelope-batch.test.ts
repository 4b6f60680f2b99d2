// Envelope v2, the batch: what the encoder writes, what decodeMessage accepts, and how v1 readers see it (fast-check).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, envelopeOfBatchEvent, validateBatch } from '../src/envelope-batch.js';
import { EnvelopeEncoder } from '../src/envelope-encoder.js';
import { BATCH_ENVELOPE_VERSION, decodeEnvelope } from '../src/envelope.js';

const RUNS = { numRuns: 500 };
const MAX = 1024 * 1024;
const text = fc.string({ minLength: 1, maxLength: 30, unit: 'binary' });
const count = fc.maxSafeNat();
const identity = fc.record({ instanceId: text, pid: count, host: text, nonce: text });
const event = fc.record({ ts: count, type: text, data: fc.jsonValue() });

/** The README's batch rules, restated independently of envelope-batch.ts: the oracle for one parsed value with v 2. */
function batchIsValid(value: Record<string, unknown>): boolean {
  const text = (e: Record<string, unknown>, key: string): boolean =>
    typeof e[key] === 'string' && (e[key] as string).length > 0;
  const count = (e: Record<string, unknown>, key: string): boolean =>
    Number.isSafeInteger(e[key]) && (e[key] as number) >= 0;
  const isObject = (e: unknown): e is Record<string, unknown> =>
    typeof e === 'object' && e !== null && !Array.isArray(e);
  if (!text(value, 'src') || !text(value, 'host') || !text(value, 'nonce') || !count(value, 'pid')) return false;
  const events = value.events;
  if (!Array.isArray(events) || events.length === 0) return false;
  return events.every(
    (e) => isObject(e) && count(e, 'seq') && count(e, 'ts') && text(e, 'type') && Object.hasOwn(e, 'data'),
  );
}

const validBatch = fc.record({
  v: fc.constant(BATCH_ENVELOPE_VERSION),
  src: text,
  pid: count,
  host: text,
  nonce: text,
  events: fc.array(fc.record({ seq: count, ts: count, type: text, data: fc.jsonValue() }), {
    minLength: 1,
    maxLength: 4,
  }),
});

/** A valid batch with one key of the batch or of one event removed or replaced by any JSON value. */
const mutatedBatch = fc
  .tuple(validBatch, fc.nat(), fc.constantFrom('src', 'pid', 'host', 'nonce', 'events', 'seq', 'ts', 'type', 'data'))
  .chain(([batch, index, key]) =>
    fc.option(fc.jsonValue(), { nil: undefined }).map((replacement) => {
      const copy = structuredClone(batch) as Record<string, unknown> & { events: Record<string, unknown>[] };
      const target = ['seq', 'ts', 'type', 'data'].includes(key) ? copy.events[index % copy.events.length]! : copy;
      if (replacement === undefined) delete target[key];
      else target[key] = replacement;
      return copy as Record<string, unknown>;
    }),
  );

describe('batch envelope (v2)', () => {
  it("is what the encoder writes: head, events joined by ',', tail; decodeMessage gives back every event", () => {
    fc.assert(
      fc.property(
        identity,
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 5 }),
        fc.array(event, { minLength: 1, maxLength: 5 }),
        (id, firstSeq, events) => {
          const encoder = new EnvelopeEncoder(id);
          const encoded = events.map((e, i) => encoder.encodeBatchEvent(firstSeq + i, e.ts, e.type, e.data));
          const payload = `${encoder.batchHead}${encoded.join(',')}${encoder.batchTail}`;
          expect(payload.startsWith(`{"v":2,"src":${JSON.stringify(id.instanceId)},`)).toBe(true);
          const result = decodeMessage(payload, MAX);
          expect(result.ok && result.batch !== undefined).toBe(true);
          const batch = result.ok ? result.batch! : undefined!;
          // Each event, seen by handlers, is the v1 envelope a non-coalescing bridge would have sent for it.
          batch.events.forEach((e, i) => {
            const seq = firstSeq + i;
            const original = events[i]!;
            // The v1 encoder writes byte for byte what encodeEnvelope does (envelope-encoder.test.ts).
            const v1 = encoder.encode(seq, original.ts, original.type, original.data);
            expect(envelopeOfBatchEvent(batch, e)).toEqual(JSON.parse(v1));
          });
        },
      ),
      RUNS,
    );
  });

  it('is accepted exactly when the rules hold, a whole batch malformed (shape) for one bad event', () => {
    fc.assert(
      fc.property(fc.oneof(validBatch, mutatedBatch), (value) => {
        const result = validateBatch(value);
        expect(result.ok).toBe(batchIsValid(value));
        const decoded = decodeMessage(JSON.stringify(value), MAX);
        expect(decoded.ok ? 'ok' : decoded.kind).toBe(batchIsValid(JSON.parse(JSON.stringify(value))) ? 'ok' : 'shape');
      }),
      RUNS,
    );
  });

  it("is dropped by a v1 reader (decodeEnvelope) as malformed 'version', never misread", () => {
    fc.assert(
      fc.property(validBatch, (batch) => {
        expect(decodeEnvelope(JSON.stringify(batch))).toMatchObject({ ok: false, kind: 'version' });
      }),
      RUNS,
    );
  });

  it('decodeMessage reads v1 envelopes as decodeEnvelope does, and drops other versions as version', () => {
    const v1 = new EnvelopeEncoder({ instanceId: 'a', pid: 1, host: 'h', nonce: 'n' }).encode(0, 1, 't', null);
    expect(decodeMessage(v1, MAX)).toEqual(decodeEnvelope(v1));
    expect(decodeMessage('{"v":3,"events":[]}', MAX)).toMatchObject({ ok: false, kind: 'version' });
    expect(decodeMessage('{"v":2,', MAX)).toMatchObject({ ok: false, kind: 'json' });
    expect(decodeMessage(`{"v":2,"pad":"${'x'.repeat(100)}"}`, 50)).toMatchObject({ ok: false, kind: 'oversized' });
    expect(decodeMessage('{"v":2,"src":"a","pid":1,"host":"h","nonce":"n","events":[]}', MAX)).toMatchObject({
      ok: false,
      kind: 'shape',
      reason: "'events' must be a non-empty array",
    });
    expect(
      decodeMessage('{"v":2,"src":"a","pid":1,"host":"h","nonce":"n","events":[{"seq":0,"ts":1,"type":"t"}]}', MAX),
    ).toMatchObject({ ok: false, kind: 'shape', reason: "'events[0]': 'data' is missing (use null for no data)" });
  });

  it('never makes decodeMessage throw, whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.json(),
          mutatedBatch.map((b) => JSON.stringify(b)),
        ),
        (raw) => {
          expect(() => decodeMessage(raw, MAX)).not.toThrow();
        },
      ),
      RUNS,
    );
  });
});
