// Human durations for CLI options: "500ms", "10s", "1.5s", "2m", "1h" <-> whole milliseconds.

import { isDecimalLiteral, scaleDecimal } from './decimal.js';
import { parseFailure, parsedValue, type Parsed } from './parsed.js';

/** Milliseconds per accepted unit. Units are lower-case; there is no "us": CLI timings are whole milliseconds. */
const MS_PER_UNIT = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
type DurationUnit = keyof typeof MS_PER_UNIT;

/** The accepted forms, for error and help messages. */
export const DURATION_FORMS = 'a number with a unit ms, s, m or h, such as 500ms, 10s, 1.5s, 2m or 1h';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/**
 * Parses a duration into whole milliseconds without throwing; the failure reason says what is wrong and
 * leaves naming the accepted forms (DURATION_FORMS) to the caller.
 * Accepted: a non-negative integer or decimal immediately followed by ms, s, m or h ("1.5s" = 1500).
 * Rejected: a bare number (is "30" seconds or milliseconds?), negative values, exponents, other units,
 * and values that are not a whole number of milliseconds ("0.5ms").
 */
export function tryParseDurationMs(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (isDecimalLiteral(trimmed)) {
    return parseFailure(`a bare number is ambiguous, add a unit: "${trimmed}s" or "${trimmed}ms"`);
  }
  const match = DURATION.exec(trimmed);
  if (match === null) return parseFailure('not a number followed by ms, s, m or h');
  const amount = match[1] as string;
  const unit = match[2] as DurationUnit;
  const ms = scaleDecimal(amount, MS_PER_UNIT[unit]);
  if (!Number.isSafeInteger(ms)) return parseFailure('not a whole number of milliseconds');
  return parsedValue(ms);
}

/** Parses a duration into whole milliseconds; throws a RangeError naming the accepted forms on bad input. */
export function parseDurationMs(text: string): number {
  const parsed = tryParseDurationMs(text);
  if (!parsed.ok) throw new RangeError(`invalid duration "${text}": expected ${DURATION_FORMS}; ${parsed.reason}`);
  return parsed.value;
}

/**
 * Formats milliseconds in the largest unit that keeps at most three decimals exact, so that
 * parseDurationMs(formatDurationMs(x)) === x for every whole, non-negative x: 30000 -> "30s",
 * 90000 -> "1.5m", 1234 -> "1.234s", 61001 -> "61.001s", 500 -> "500ms", 0 -> "0s".
 * Non-integers fall back to "ms".
 */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms}ms`;
  if (ms === 0) return '0s';
  const units: DurationUnit[] = ['h', 'm', 's'];
  for (const unit of units) {
    const perUnit = MS_PER_UNIT[unit];
    if (Math.abs(ms) < perUnit) continue;
    const amount = ms / perUnit;
    const rounded = Number(amount.toFixed(3));
    if (Number.isInteger(ms) && scaleDecimal(String(Math.abs(rounded)), perUnit) === Math.abs(ms)) {
      return `${rounded}${unit}`;
    }
  }
  return `${ms}ms`;
}
