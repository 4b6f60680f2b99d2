// What the harness and bench command lines share once node:util parseArgs has split them: one-line errors for a bad
// value, and a refusal of single-valued options given twice.
import type { Parsed } from '../config/parsed.js';

/** A user-input problem, already worded for the user (a parser catches it and returns its message). */
export class OptionError extends Error {}

const SHOWN_VALUE_MAX_CHARS = 80;

/** A user value quoted on one line: JSON escapes newlines and quotes; very long values are cut. */
export function showValue(value: string): string {
  const cut = value.length > SHOWN_VALUE_MAX_CHARS ? `${value.slice(0, SHOWN_VALUE_MAX_CHARS)}...` : value;
  return JSON.stringify(cut);
}

/**
 * The validated value, or an OptionError "--name must be <accepts> (got "value"); <reason>". `shown` is the value
 * as the error may quote it (a Redis URL without its password).
 */
export function checkValue<T>(
  name: string,
  given: string,
  validate: (value: string) => Parsed<T>,
  accepts: string,
  shown: string = given,
): T {
  const result = validate(given);
  if (result.ok) return result.value;
  const detail = result.reason === '' ? '' : `; ${result.reason}`;
  throw new OptionError(`--${name} must be ${accepts} (got ${showValue(shown)})${detail}`);
}

interface ArgToken {
  kind: string;
  name?: string;
}

/** A single-valued option given twice is an error rather than a silent "last one wins". */
export function rejectRepeats(tokens: readonly ArgToken[], singleValued: (name: string) => boolean): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined || !singleValued(token.name)) continue;
    if (seen.has(token.name)) throw new OptionError(`--${token.name} was given more than once; give it once`);
    seen.add(token.name);
  }
}
