// Exact scaling of a decimal literal ("1.5", "61.001") by an integer factor, without binary float drift.

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** True when `text` is a non-negative decimal literal: digits, optionally a point and more digits. */
export function isDecimalLiteral(text: string): boolean {
  return DECIMAL.test(text);
}

/**
 * `text * factor`, computed as integerPart * factor + fractionDigits * factor / 10^digits so that
 * "61.001" * 1000 is exactly 61001 (plain float multiplication gives 61000.99999999999).
 * Returns NaN when `text` is not a decimal literal.
 */
export function scaleDecimal(text: string, factor: number): number {
  const match = DECIMAL.exec(text);
  if (match === null) return Number.NaN;
  const integerPart = Number(match[1]);
  const fractionDigits = match[2] ?? '';
  if (fractionDigits === '') return integerPart * factor;
  return integerPart * factor + (Number(fractionDigits) * factor) / 10 ** fractionDigits.length;
}

/**
 * `text / 10^power` as the nearest double: all digits as one integer divided by one power of ten, so
 * "99.9" / 10^2 is 0.999 exactly as 999 / 1000 would compute it (99.9 / 100 gives 0.9990000000000001).
 * Returns NaN when `text` is not a decimal literal.
 */
export function shiftDecimal(text: string, power: number): number {
  const match = DECIMAL.exec(text);
  if (match === null) return Number.NaN;
  const fractionDigits = match[2] ?? '';
  return Number(`${match[1]}${fractionDigits}`) / 10 ** (fractionDigits.length + power);
}
