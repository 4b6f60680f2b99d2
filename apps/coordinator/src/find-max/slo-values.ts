// Validators for the SLO options (--slo-p99, --slo-publish): each returns the value or a short reason.

import { scaleDecimal, shiftDecimal } from '../config/decimal.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';

const US_PER_UNIT: Readonly<Record<string, number>> = { us: 1, ms: 1_000, s: 1_000_000 };
const AMOUNT_AND_SUFFIX = /^(\d+(?:\.\d+)?)\s*(\S*)$/;

/** A latency greater than 0 with a unit us, ms or s ("10ms", "800us", "1.5ms"), as whole microseconds. */
export function latencyUs(raw: string): Parsed<number> {
  const match = AMOUNT_AND_SUFFIX.exec(raw.trim());
  if (match === null) return parseFailure('');
  const amount = match[1] as string;
  const suffix = match[2] as string;
  if (suffix === '') return parseFailure(`a bare number is ambiguous, add a unit: "${amount}ms" or "${amount}us"`);
  const factor = US_PER_UNIT[suffix];
  if (factor === undefined) return parseFailure(`unknown unit "${suffix}"`);
  const us = scaleDecimal(amount, factor);
  if (!Number.isSafeInteger(us)) return parseFailure('not a whole number of microseconds');
  if (us <= 0) return parseFailure('not greater than 0');
  return parsedValue(us);
}

/** A ratio greater than 0 and at most 1, as a percent ("97%", "99.5%") or a fraction ("0.97"). */
export function positiveRatio(raw: string): Parsed<number> {
  const match = AMOUNT_AND_SUFFIX.exec(raw.trim());
  if (match === null) return parseFailure('');
  const amount = match[1] as string;
  const suffix = match[2] as string;
  let ratio: number;
  if (suffix === '%') ratio = shiftDecimal(amount, 2);
  else if (suffix === '') ratio = Number(amount);
  else return parseFailure(`unknown suffix "${suffix}"`);
  if (suffix === '' && ratio > 1) return parseFailure(`a fraction is at most 1: did you mean ${amount}%?`);
  if (!(ratio > 0) || ratio > 1) return parseFailure('');
  return parsedValue(ratio);
}
