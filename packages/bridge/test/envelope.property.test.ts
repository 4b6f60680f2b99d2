// Property tests (fast-check): the decoder never throws, accepts exactly the valid envelopes, and names each kind.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  encodeEnvelope,
  MALFORMED_KINDS,
  validateEnvelope,
  type Envelope,
  type MalformedKind,
} from '../src/envelope.js';

const RUNS = { numRuns: 1_000 };

/** The README's envelope v1 rules, restated independently of envelope.ts: the oracle. */
function expectedKind(value: unknown): Exclude<MalformedKind, 'json' | 'oversized'> | 'ok' {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'shape';
  const e = value as Record<string, unknown>;
  if (!Number.isInteger(e.v)) return 'shape';
  if (e.v !== 1) return 'version';
  const text = (key: string): boolean => typeof e[key] === 'string' && (e[key] as string).length > 0;
  const count = (key: string): boolean => Number.isSafeInteger(e[key]) && (e[key] as number) >= 0;
  const valid =
    ['id', 'src', 'host', 'nonce', 'type'].every(text) && ['pid', 'seq', 'ts'].every(count) && Object.hasOwn(e, 'data');
  return valid ? 'ok' : 'shape';
}

const nonEmpty = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
const count = fc.maxSafeNat();

/** Valid envelopes with arbitrary JSON data (and sometimes extra keys, which readers ignore). */
const validEnvelope = fc
  .record({
    v: fc.constant(1 as const),
    id: nonEmpty,
    src: nonEmpty,
    pid: count,
    host: nonEmpty,
    nonce: nonEmpty,
    seq: count,
    ts: count,
    type: nonEmpty,
    data: fc.jsonValue(),
  })
  .chain((envelope) =>
    fc
      .option(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => !Object.hasOwn(envelope, k)),
          fc.jsonValue(),
          { maxKeys: 3 },
        ),
        { nil: undefined },
      )
      .map((extra) => ({
        ...extra,
        ...envelope,
      })),
  );

const FIELDS = ['v', 'id', 'src', 'pid', 'host', 'nonce', 'seq', 'ts', 'type', 'data'] as const;

/** A valid envelope with one field removed or replaced by any JSON value (often still valid, mostly not). */
const mutatedEnvelope = fc
  .tuple(
    validEnvelope,
    fc.constantFrom(...FIELDS),
    fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.integer({ min: -3, max: 5 }), fc.integer(), fc.double()),
  )
  .map(([envelope, field, replacement]) => {
    const mutated: Record<string, unknown> = { ...envelope };
    if (replacement === undefined) delete mutated[field];
    else mutated[field] = replacement;
    return mutated;
  });

function decodeNeverThrows(raw: string | Uint8Array, max?: number): ReturnType<typeof decodeEnvelope> {
  let result: ReturnType<typeof decodeEnvelope> | undefined;
  expect(() => {
    result = decodeEnvelope(raw, max);
  }).not.toThrow();
  expect(result).toBeDefined();
  if (!result!.ok) expect(MALFORMED_KINDS).toContain(result!.kind);
  return result!;
}

describe('decodeEnvelope / validateEnvelope (property-based)', () => {
  it('never throw on arbitrary strings, bytes, JSON texts or values', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void decodeNeverThrows(text)),
      RUNS,
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void decodeNeverThrows(bytes)),
      RUNS,
    );
    fc.assert(
      fc.property(fc.json(), (json) => void decodeNeverThrows(json)),
      RUNS,
    );
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(() => validateEnvelope(value)).not.toThrow();
      }),
      RUNS,
    );
  });

  it('accept exactly the valid envelopes and classify the rest as the spec says', () => {
    const inputs = fc.oneof(validEnvelope, mutatedEnvelope, fc.jsonValue(), fc.anything());
    fc.assert(
      fc.property(inputs, (value) => {
        const result = validateEnvelope(value);
        const expected = expectedKind(value);
        expect(result.ok ? 'ok' : result.kind).toBe(expected);
        if (result.ok) expect(result.envelope).toBe(value);
      }),
      RUNS,
    );
  });

  it('decode what they were given as JSON text or UTF-8 bytes the same way as the parsed value', () => {
    fc.assert(
      fc.property(fc.oneof(validEnvelope, mutatedEnvelope), (value) => {
        const json = JSON.stringify(value);
        const expected = expectedKind(JSON.parse(json));
        for (const raw of [json, Buffer.from(json)]) {
          const result = decodeNeverThrows(raw);
          expect(result.ok ? 'ok' : result.kind).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it('round-trip every valid envelope through encodeEnvelope', () => {
    fc.assert(
      fc.property(validEnvelope, (envelope) => {
        const result = decodeNeverThrows(encodeEnvelope(envelope as Envelope));
        expect(result).toEqual({ ok: true, envelope: JSON.parse(JSON.stringify(envelope)) });
      }),
      RUNS,
    );
  });

  it("classify text that is not JSON as 'json', a truncated envelope included", () => {
    const notJson = fc.string({ unit: 'binary', maxLength: 200 }).filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    });
    fc.assert(
      fc.property(notJson, (text) => void expect(decodeNeverThrows(text)).toMatchObject({ ok: false, kind: 'json' })),
      RUNS,
    );
    fc.assert(
      fc.property(validEnvelope, fc.nat(), (envelope, cut) => {
        const json = JSON.stringify(envelope);
        const truncated = json.slice(0, cut % json.length);
        expect(decodeNeverThrows(truncated)).toMatchObject({ ok: false, kind: 'json' });
      }),
      RUNS,
    );
  });

  it("classify anything above maxPayloadBytes as 'oversized' before parsing, counting UTF-8 bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
          validEnvelope.map((e) => JSON.stringify(e)),
        ),
        fc.nat(),
        (text, seed) => {
          const bytes = Buffer.byteLength(text);
          const limit = seed % bytes;
          if (limit === 0) return;
          expect(decodeNeverThrows(text, limit)).toMatchObject({ ok: false, kind: 'oversized' });
          expect(decodeNeverThrows(Buffer.from(text), limit)).toMatchObject({ ok: false, kind: 'oversized' });
          const atLimit = decodeNeverThrows(text, bytes);
          expect(atLimit.ok || atLimit.kind !== 'oversized').toBe(true);
        },
      ),
      RUNS,
    );
  });
});
