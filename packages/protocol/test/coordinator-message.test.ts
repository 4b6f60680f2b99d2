import { describe, expect, it } from 'vitest';
import { COORDINATOR_MESSAGE_FIELDS, parseCoordinatorMessageLean } from '../src/coordinator-message.js';
import { coordinatorMessageSchema, parseCoordinatorMessage } from '../src/schema.js';

/** One valid message of every type (and the optional fields present). */
const VALID: Record<string, unknown>[] = [
  {
    type: 'configure',
    index: 0,
    redisUrl: 'redis://h:1',
    namespace: 'n',
    driver: 'evbridge',
    pacer: 'open-loop',
    rateEventsPerSec: 200,
    payloadBytes: 256,
    statsIntervalMs: 1000,
  },
  {
    type: 'configure',
    index: 3,
    redisUrl: 'rediss://h:1',
    redisTls: { caPem: 'PEM' },
    namespace: 'n',
    driver: 'file:///tmp/my-driver.js',
    pacer: 'naive-interval',
    rateEventsPerSec: 0.5,
    payloadBytes: 0,
    statsIntervalMs: 1,
  },
  { type: 'ping', seq: 0 },
  {
    type: 'clock',
    index: 2,
    offsets: [
      { offsetUs: 0, uncertaintyUs: 0 },
      { offsetUs: -30_000_017, uncertaintyUs: 53 },
    ],
  },
  { type: 'clock', index: 0, offsets: [] },
  { type: 'probe', instanceIds: ['a', 'b'], intervalMs: 50 },
  { type: 'probe', instanceIds: [], intervalMs: 1 },
  { type: 'start', t0Us: 1, measureStartUs: 2, measureEndUs: 3 },
  { type: 'stop' },
  { type: 'drain', expectLastSeq: { a: 9, b: -1 }, timeoutMs: 0 },
  { type: 'drain', expectLastSeq: {}, timeoutMs: 5000 },
  { type: 'shutdown' },
  { type: 'fault', kind: 'block', durationMs: 500 },
];

const BAD_VALUES: unknown[] = [
  undefined,
  null,
  -1,
  1.5,
  0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  '',
  'x',
  true,
  [],
  {},
  ['', 1],
  { a: 'x' },
  { caPem: '' },
  [{ offsetUs: 1.5, uncertaintyUs: 0 }],
  [{ offsetUs: 0, uncertaintyUs: -1 }],
  [{ offsetUs: 0 }],
];

describe("parseCoordinatorMessageLean (the worker's zod-free check)", () => {
  it('checks exactly the fields of every coordinator message schema.ts defines', () => {
    const zodTypes = coordinatorMessageSchema.options.map((option) => option.shape.type.value).sort();
    expect(Object.keys(COORDINATOR_MESSAGE_FIELDS).sort()).toEqual(zodTypes);
    for (const option of coordinatorMessageSchema.options) {
      const zodFields = Object.keys(option.shape)
        .filter((field) => field !== 'type')
        .sort();
      expect(Object.keys(COORDINATOR_MESSAGE_FIELDS[option.shape.type.value]).sort()).toEqual(zodFields);
    }
  });

  it('accepts what zod accepts, with the same result', () => {
    for (const message of VALID) {
      const lean = parseCoordinatorMessageLean(message);
      expect(lean).toEqual(parseCoordinatorMessage(message));
      expect(lean.ok).toBe(true);
    }
    // Unknown fields are dropped, as zod's objects drop them.
    expect(parseCoordinatorMessageLean({ type: 'ping', seq: 1, extra: true })).toEqual({
      ok: true,
      message: { type: 'ping', seq: 1 },
    });
  });

  it('rejects what zod rejects: every field of every message replaced by every bad value', () => {
    let compared = 0;
    for (const message of VALID) {
      for (const field of Object.keys(message).filter((name) => name !== 'type')) {
        for (const bad of BAD_VALUES) {
          const mutated = { ...message, [field]: bad };
          const zod = parseCoordinatorMessage(mutated);
          const lean = parseCoordinatorMessageLean(mutated);
          expect({ field, bad, ok: lean.ok }).toEqual({ field, bad, ok: zod.ok });
          if (!lean.ok) expect(lean.error).toMatch(new RegExp(`^${field}:`));
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('rejects non-objects and unknown types, naming what is wrong', () => {
    for (const raw of [null, 'ping', 42, [], { type: 'nope' }, { seq: 1 }]) {
      expect(parseCoordinatorMessage(raw).ok).toBe(false);
      const lean = parseCoordinatorMessageLean(raw);
      expect(lean.ok).toBe(false);
    }
    expect(parseCoordinatorMessageLean({ type: 'nope' })).toEqual({
      ok: false,
      error: 'type: unknown coordinator message type "nope"',
    });
  });
});
