// Byte sizes for CLI options: "256", "256b", "1kb" (1000), "1kib" (1024), "1mib" <-> whole bytes.

import { scaleDecimal } from './decimal.js';
import { parseFailure, parsedValue, type Parsed } from './parsed.js';

/**
 * Bytes per accepted suffix (case-insensitive). kb/mb are decimal (1000) and kib/mib binary (1024), as in
 * IEC 80000-13, so "1kb" never silently means 1024. A number without a suffix is bytes.
 */
const BYTES_PER_SUFFIX = { '': 1, b: 1, kb: 1_000, kib: 1_024, mb: 1_000_000, mib: 1_048_576 } as const;
type SizeSuffix = keyof typeof BYTES_PER_SUFFIX;

/** The accepted forms, for error and help messages. */
export const SIZE_FORMS =
  'a whole number of bytes, optionally with a suffix b, kb (1000), kib (1024), mb or mib, such as 256, 1kb or 64kib';

const SIZE = /^(\d+(?:\.\d+)?)(b|kb|kib|mb|mib)?$/;

/**
 * Parses a byte size without throwing; the failure reason says what is wrong and leaves naming the accepted
 * forms (SIZE_FORMS) to the caller. A decimal amount is allowed when the result is a whole number of bytes
 * ("1.5kib" = 1536); "0.5b" is not.
 */
export function tryParseSizeBytes(text: string): Parsed<number> {
  const match = SIZE.exec(text.trim().toLowerCase());
  if (match === null) return parseFailure('not a number of bytes with an optional suffix b, kb, kib, mb or mib');
  const amount = match[1] as string;
  const suffix = (match[2] ?? '') as SizeSuffix;
  const bytes = scaleDecimal(amount, BYTES_PER_SUFFIX[suffix]);
  if (!Number.isSafeInteger(bytes)) return parseFailure('not a whole number of bytes');
  return parsedValue(bytes);
}

/** Parses a byte size; throws a RangeError naming the accepted forms on bad input. */
export function parseSizeBytes(text: string): number {
  const parsed = tryParseSizeBytes(text);
  if (!parsed.ok) throw new RangeError(`invalid size "${text}": expected ${SIZE_FORMS}; ${parsed.reason}`);
  return parsed.value;
}

/** "256 B", "1 KiB", "1.5 KiB", "1 MiB": binary units, exact to two decimals, otherwise bytes. */
export function formatSizeBytes(bytes: number): string {
  if (bytes >= 1_048_576 && Number.isInteger((bytes / 1_048_576) * 100)) return `${bytes / 1_048_576} MiB`;
  if (bytes >= 1_024 && Number.isInteger((bytes / 1_024) * 100)) return `${bytes / 1_024} KiB`;
  return `${bytes} B`;
}
