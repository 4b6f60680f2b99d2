// EnvelopeEncoder: byte for byte what encodeEnvelope gives, for arbitrary identities, types and data (fast-check).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeEncoder } from '../src/envelope-encoder.js';
import { encodeEnvelope, ENVELOPE_VERSION, eventId } from '../src/envelope.js';

const text = fc.string({ minLength: 1, maxLength: 30, unit: 'binary' });
const count = fc.maxSafeNat();
const identity = fc.record({ instanceId: text, pid: count, host: text, nonce: text });

const reference = (
  id: { instanceId: string; pid: number; host: string; nonce: string },
  seq: number,
  ts: number,
  type: string,
  data: unknown,
): string =>
  encodeEnvelope({
    v: ENVELOPE_VERSION,
    id: eventId(id.instanceId, seq),
    src: id.instanceId,
    pid: id.pid,
    host: id.host,
    nonce: id.nonce,
    seq,
    ts,
    type,
    data,
  });

describe('EnvelopeEncoder', () => {
  it('encodes exactly as encodeEnvelope: any identity, seq, ts, type and JSON data', () => {
    fc.assert(
      fc.property(identity, count, count, text, fc.jsonValue(), (id, seq, ts, type, data) => {
        expect(new EnvelopeEncoder(id).encode(seq, ts, type, data)).toBe(reference(id, seq, ts, type, data));
      }),
      { numRuns: 2_000 },
    );
  });

  it('matches encodeEnvelope for values JSON treats specially: toJSON (with its key), Dates, nested undefined, functions', () => {
    const id = { instanceId: 'h:1:n"\\x', pid: 1, host: 'h\u2028', nonce: 'n' };
    const encoder = new EnvelopeEncoder(id);
    const withKey = { toJSON: (key: string) => `key=${key}` };
    for (const data of [
      withKey,
      new Date(0),
      { a: undefined, b: [undefined] },
      () => 1,
      Symbol('s'),
      null,
      0,
      '',
      [],
      {},
    ]) {
      expect(encoder.encode(7, 9, 'type', data)).toBe(reference(id, 7, 9, 'type', data));
    }
  });

  it('throws the same TypeErrors as encodeEnvelope: undefined, BigInt, circular', () => {
    const id = { instanceId: 'i', pid: 1, host: 'h', nonce: 'n' };
    const encoder = new EnvelopeEncoder(id);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const data of [undefined, 1n, circular]) {
      let expected: unknown;
      try {
        reference(id, 0, 0, 't', data);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(TypeError);
      expect(() => encoder.encode(0, 0, 't', data)).toThrow((expected as Error).message);
    }
  });
});
