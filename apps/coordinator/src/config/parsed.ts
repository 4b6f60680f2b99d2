// The outcome of parsing one piece of user input: a value, or a reason that names what is accepted.

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parsedValue<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function parseFailure<T = never>(reason: string): Parsed<T> {
  return { ok: false, reason };
}
