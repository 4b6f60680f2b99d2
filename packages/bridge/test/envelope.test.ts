// Envelope v1: encode/decode round trip, and every way an inbound message is rejected.

import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  encodeEnvelope,
  eventId,
  metaFromEnvelope,
  utf8ByteLength,
  validateEnvelope,
  type Envelope,
} from '../src/envelope.js';

function sample(overrides: Partial<Record<keyof Envelope, unknown>> = {}): Record<string, unknown> {
  return {
    v: 1,
    id: 'host-a:42:AbCdEfGh/7',
    src: 'host-a:42:AbCdEfGh',
    pid: 42,
    host: 'host-a',
    nonce: 'AbCdEfGh',
    seq: 7,
    ts: 1_732_000_000_123_456,
    type: 'user.created',
    data: { id: 1, name: 'Ada' },
    ...overrides,
  };
}

function without(key: string): Record<string, unknown> {
  const value = sample();
  delete value[key];
  return value;
}

describe('encodeEnvelope / decodeEnvelope', () => {
  it('round-trips through JSON with the documented keys in order', () => {
    const envelope = sample() as unknown as Envelope;
    const json = encodeEnvelope(envelope);
    expect(Object.keys(JSON.parse(json))).toEqual([
      'v',
      'id',
      'src',
      'pid',
      'host',
      'nonce',
      'seq',
      'ts',
      'type',
      'data',
    ]);
    const decoded = decodeEnvelope(json);
    expect(decoded).toEqual({ ok: true, envelope });
    expect(decodeEnvelope(Buffer.from(json))).toEqual({ ok: true, envelope });
  });

  it('accepts null data and ignores unknown extra fields', () => {
    expect(decodeEnvelope(JSON.stringify(sample({ data: null }))).ok).toBe(true);
    expect(decodeEnvelope(JSON.stringify({ ...sample(), future: 'field' })).ok).toBe(true);
  });

  it('refuses data JSON cannot carry, with a TypeError naming the fix', () => {
    expect(() => encodeEnvelope(sample({ data: undefined }) as unknown as Envelope)).toThrow(/send null instead/);
    expect(() => encodeEnvelope(sample({ data: { n: 1n } }) as unknown as Envelope)).toThrow(TypeError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const error = (() => {
      try {
        encodeEnvelope(sample({ data: circular }) as unknown as Envelope);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.cause).toBeInstanceOf(Error);
  });

  it('builds event ids as source/seq and meta without data', () => {
    expect(eventId('h:1:n', 3)).toBe('h:1:n/3');
    const envelope = sample() as unknown as Envelope;
    expect(metaFromEnvelope(envelope)).toEqual({
      id: envelope.id,
      source: envelope.src,
      pid: 42,
      host: 'host-a',
      nonce: 'AbCdEfGh',
      seq: 7,
      timestampUs: envelope.ts,
      type: 'user.created',
      version: 1,
    });
  });
});

describe('malformed kinds', () => {
  it("'json': not JSON", () => {
    for (const raw of ['', 'not json', '{"v":1', Buffer.from([0xff, 0xfe, 0x00])]) {
      const result = decodeEnvelope(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.kind).toBe('json');
    }
  });

  it("'shape': valid JSON that is not an envelope", () => {
    const cases: unknown[] = [
      null,
      42,
      'string',
      [sample()],
      without('v'),
      sample({ v: '1' }),
      sample({ v: 1.5 }),
      sample({ id: '' }),
      without('id'),
      sample({ src: 7 }),
      sample({ pid: -1 }),
      sample({ pid: 1.5 }),
      sample({ pid: '42' }),
      sample({ host: '' }),
      sample({ nonce: null }),
      sample({ seq: -1 }),
      sample({ seq: Number.MAX_SAFE_INTEGER + 2 }),
      sample({ ts: 1.5 }),
      sample({ ts: '1732000000123456' }),
      sample({ type: '' }),
      sample({ type: 3 }),
      without('data'),
    ];
    for (const value of cases) {
      const result = decodeEnvelope(JSON.stringify(value));
      expect(result, JSON.stringify(value)).toMatchObject({ ok: false, kind: 'shape' });
    }
  });

  it("'version': an integer v other than 1, checked before the other fields", () => {
    expect(validateEnvelope(sample({ v: 2 }))).toMatchObject({ ok: false, kind: 'version' });
    expect(validateEnvelope(sample({ v: 0 }))).toMatchObject({ ok: false, kind: 'version' });
    expect(validateEnvelope({ v: 2, totally: 'different' })).toMatchObject({ ok: false, kind: 'version' });
  });

  it("'oversized': larger than maxPayloadBytes in UTF-8 bytes, before parsing", () => {
    const json = JSON.stringify(sample({ data: 'x'.repeat(200) }));
    const bytes = Buffer.byteLength(json);
    expect(decodeEnvelope(json, bytes).ok).toBe(true);
    expect(decodeEnvelope(json, bytes - 1)).toMatchObject({ ok: false, kind: 'oversized' });
    expect(decodeEnvelope(Buffer.from(json), bytes - 1)).toMatchObject({ ok: false, kind: 'oversized' });
    // Oversized wins over invalid JSON: the size is checked first, without parsing.
    expect(decodeEnvelope('x'.repeat(100), 10)).toMatchObject({ ok: false, kind: 'oversized' });
  });

  it('counts multi-byte characters as bytes, not code units', () => {
    const json = JSON.stringify(sample({ data: 'é'.repeat(100) }));
    const bytes = Buffer.byteLength(json);
    expect(bytes).toBeGreaterThan(json.length);
    expect(utf8ByteLength(json, bytes)).toBe(bytes);
    expect(decodeEnvelope(json, json.length)).toMatchObject({ ok: false, kind: 'oversized' });
    expect(decodeEnvelope(json, bytes).ok).toBe(true);
  });
});
