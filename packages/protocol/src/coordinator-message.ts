// Validates what arrives from the coordinator by hand, typeof per field: the worker does not load zod (~3 MB of
// heap per worker) for eight small messages. The field table's type is derived from schema.ts's zod schemas, so a
// message or field added there and not checked here fails the typecheck; a test compares both on valid and invalid
// messages.
import type { CoordinatorMessage, ParseResult } from './schema.js';
import { PACER_KINDS } from './values.js';

type MessageType = CoordinatorMessage['type'];
type MessageOf<T extends MessageType> = Extract<CoordinatorMessage, { type: T }>;

/** Returns what is wrong with a field's value, or undefined when it is valid. */
type Check = (value: unknown) => string | undefined;

/** Every field of every coordinator message (but `type`), each with its check. Optional fields accept undefined. */
type FieldChecks = { [T in MessageType]: { [F in Exclude<keyof MessageOf<T>, 'type'>]-?: Check } };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const int: Check = (value) => (Number.isSafeInteger(value) ? undefined : 'expected an integer');
const nonNegInt: Check = (value) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : 'expected a non-negative integer';
const positiveInt: Check = (value) =>
  Number.isSafeInteger(value) && (value as number) > 0 ? undefined : 'expected a positive integer';
const positiveNumber: Check = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? undefined : 'expected a positive number';
const nonEmptyString: Check = (value) =>
  typeof value === 'string' && value.length > 0 ? undefined : 'expected a non-empty string';
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    typeof value === 'string' && allowed.includes(value) ? undefined : `expected one of ${allowed.join(', ')}`;
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined ? undefined : check(value);
const objectOf =
  (fields: Record<string, Check>): Check =>
  (value) => {
    if (!isObject(value)) return 'expected an object';
    for (const [name, check] of Object.entries(fields)) {
      const problem = check(value[name]);
      if (problem !== undefined) return `${name}: ${problem}`;
    }
    return undefined;
  };
const arrayOf =
  (check: Check): Check =>
  (value) => {
    if (!Array.isArray(value)) return 'expected an array';
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i]);
      if (problem !== undefined) return `${i}: ${problem}`;
    }
    return undefined;
  };
const recordOf =
  (check: Check): Check =>
  (value) => {
    if (!isObject(value)) return 'expected an object';
    for (const [key, entry] of Object.entries(value)) {
      const problem = check(entry);
      if (problem !== undefined) return `${key}: ${problem}`;
    }
    return undefined;
  };

/** The checks, mirroring schema.ts (coordinator -> worker). */
export const COORDINATOR_MESSAGE_FIELDS: FieldChecks = {
  configure: {
    index: nonNegInt,
    redisUrl: nonEmptyString,
    redisTls: optional(objectOf({ caPem: nonEmptyString })),
    namespace: nonEmptyString,
    driver: nonEmptyString,
    pacer: oneOf(...PACER_KINDS),
    identity: optional(oneOf('default', 'pid')),
    delivery: optional(oneOf('at-most-once', 'at-least-once')),
    rateEventsPerSec: positiveNumber,
    payloadBytes: nonNegInt,
    statsIntervalMs: positiveInt,
  },
  ping: { seq: nonNegInt },
  clock: { index: nonNegInt, offsets: arrayOf(objectOf({ offsetUs: int, uncertaintyUs: nonNegInt })) },
  probe: { instanceIds: arrayOf(nonEmptyString), intervalMs: positiveInt },
  start: { t0Us: nonNegInt, measureStartUs: nonNegInt, measureEndUs: nonNegInt },
  stop: {},
  drain: { expectLastSeq: recordOf(int), timeoutMs: nonNegInt },
  shutdown: {},
  fault: { kind: oneOf('block'), durationMs: positiveInt },
};

const isMessageType = (type: unknown): type is MessageType =>
  typeof type === 'string' && Object.hasOwn(COORDINATOR_MESSAGE_FIELDS, type);

/**
 * Validates a message that arrived from the coordinator, as schema.ts's parseCoordinatorMessage does (unknown
 * fields are dropped, absent optional fields stay absent). Never throws.
 */
export function parseCoordinatorMessageLean(raw: unknown): ParseResult<CoordinatorMessage> {
  if (!isObject(raw)) return { ok: false, error: '(message): expected an object' };
  const type = raw.type;
  if (!isMessageType(type))
    return { ok: false, error: `type: unknown coordinator message type ${JSON.stringify(type)}` };
  const message: Record<string, unknown> = { type };
  for (const [name, check] of Object.entries(COORDINATOR_MESSAGE_FIELDS[type] as Record<string, Check>)) {
    const value = raw[name];
    const problem = check(value);
    if (problem !== undefined) return { ok: false, error: `${name}: ${problem}` };
    if (value !== undefined) message[name] = value;
  }
  return { ok: true, message: message as CoordinatorMessage };
}
