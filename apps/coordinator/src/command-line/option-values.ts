// Validators for single option values: each returns the value or a short reason (the caller names the option).

import { PACER_KINDS } from '@evbridge/protocol';
import { isBuiltinDriver, looksLikePath } from '@evbridge/drivers';
import { parseRedisUrl, RedisUrlError, topologyOfUrl } from '@evbridge/bridge';
import { DELIVERIES, IDENTITIES, ISOLATIONS, MODES, TOPOLOGIES } from '../config/option-names.js';
import { HARNESS_LIMITS } from '../config/defaults.js';
import { isDecimalLiteral } from '../config/decimal.js';
import { tryParseDurationMs } from '../config/duration.js';
import { isLogLevel, type LogLevel } from '../config/log-level.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import { tryParseSizeBytes } from '../config/size.js';

// An empty failure reason means "the option's accepted forms say it all": the caller appends no detail.

/** A number of instances: 2 or more (a lone instance has no peer to deliver to), at most HARNESS_LIMITS.procsMax. */
export function instanceCount(raw: string): Parsed<number> {
  const count = integerInRange(raw, 0, HARNESS_LIMITS.procsMax);
  if (count.ok && count.value < HARNESS_LIMITS.procsMin) {
    return parseFailure(
      `with ${count.value} instance${count.value === 1 ? '' : 's'} no event has a peer to reach, so nothing would be measured`,
    );
  }
  return count;
}

/** An integer written in plain digits, within [min, max]. */
export function integerInRange(raw: string, min: number, max: number): Parsed<number> {
  const trimmed = raw.trim();
  if (!/^\d+$/.test(trimmed)) return parseFailure('');
  const value = Number(trimmed);
  if (value < min || value > max) return parseFailure('');
  return parsedValue(value);
}

/** A finite decimal number greater than 0 ("1000", "2.5"); no sign, exponent or unit. */
export function positiveNumber(raw: string): Parsed<number> {
  const trimmed = raw.trim();
  if (!isDecimalLiteral(trimmed)) return parseFailure('');
  const value = Number(trimmed);
  if (!(value > 0) || !Number.isFinite(value)) return parseFailure('not greater than 0');
  return parsedValue(value);
}

export function durationInRange(raw: string, minMs: number, maxMs: number): Parsed<number> {
  const parsed = tryParseDurationMs(raw);
  if (!parsed.ok) return parsed;
  if (parsed.value < minMs || parsed.value > maxMs) return parseFailure('');
  return parsed;
}

export function sizeInRange(raw: string, maxBytes: number): Parsed<number> {
  const parsed = tryParseSizeBytes(raw);
  if (!parsed.ok) return parsed;
  if (parsed.value > maxBytes) return parseFailure('');
  return parsed;
}

/**
 * A redis:// or rediss:// URL that `new URL` accepts and that names a host, or a redis+sentinel:// or
 * redis+cluster:// URL (rediss+ for TLS) that the bridge reads. Returns the text unchanged.
 */
export function redisUrl(raw: string): Parsed<string> {
  const topology = topologyOfUrl(raw);
  if (topology !== undefined && topology !== 'standalone') {
    try {
      parseRedisUrl(raw);
    } catch (error) {
      return parseFailure(error instanceof RedisUrlError ? error.message : 'not a valid URL');
    }
    return parsedValue(raw);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return parseFailure('not a valid URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return parseFailure(`the scheme is "${url.protocol.replace(/:$/, '')}"`);
  }
  if (url.hostname === '') return parseFailure('the URL names no host');
  return parsedValue(raw);
}

export function filePath(raw: string): Parsed<string> {
  if (raw.trim() === '') return parseFailure('the path is empty');
  return parsedValue(raw);
}

export function logLevel(raw: string): Parsed<LogLevel> {
  return isLogLevel(raw) ? parsedValue(raw) : parseFailure('');
}

/** A built-in driver's name, or what looks like a path to a driver module (checked when loaded, before any worker). */
export function driver(raw: string): Parsed<string> {
  if (isBuiltinDriver(raw) || looksLikePath(raw)) return parsedValue(raw);
  return parseFailure(`no built-in driver is called ${JSON.stringify(raw)}; a module path needs a / or a .js ending`);
}

/** A validator for one of a fixed list of words. */
function oneOf<const T extends string>(allowed: readonly T[]): (raw: string) => Parsed<T> {
  return (raw) => ((allowed as readonly string[]).includes(raw) ? parsedValue(raw as T) : parseFailure(''));
}

export const pacer = oneOf(PACER_KINDS);
export const mode = oneOf(MODES);
export const isolate = oneOf(ISOLATIONS);
export const identity = oneOf(IDENTITIES);
export const delivery = oneOf(DELIVERIES);
export const topology = oneOf(TOPOLOGIES);
