// Parses and validates the `pnpm bench` command line into BenchOptions, or help, or a one-line error. Never throws on user input.

import { armDelivery } from './delivery-arm.js';
import type { GivenOptions } from '../command-line/given-options.js';
import { OptionError } from '../command-line/option-reader.js';
import { readCommandLine, type CommandLineResult } from '../command-line/read-command-line.js';
import { HARNESS_LIMITS } from '../config/defaults.js';
import type { LogLevel } from '../config/log-level.js';
import * as values from '../command-line/option-values.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import { BENCH_DEFAULTS, BENCH_LIMITS } from '../config/bench-defaults.js';
import type { BenchSettings } from './bench-document.js';
import { benchHelpText } from './help.js';
import { BENCH_OPTION_SPECS, type BenchOptionName } from './option-specs.js';

/** The run settings (recorded in the JSON as they are), and how this invocation writes, searches and logs. */
export interface BenchOptions extends BenchSettings {
  /** Where to write the JSON; undefined = bench-results/bench-<timestamp>.json under the repository root. */
  jsonPath: string | undefined;
  /** False with --no-append: BENCHMARKS.md is left alone. */
  append: boolean;
  findMax: boolean;
  /** --duration / --warmup as given, for --find-max steps (undefined = find-max's own defaults). */
  findMaxStep: { durationMs: number | undefined; warmupMs: number | undefined };
  logLevel: LogLevel;
  /** --allow-load: measure on a machine that is not quiet (the section carries a warning). */
  allowLoad: boolean;
  /** --quiet-wait: how long to wait for a quiet machine before refusing. */
  quietWaitMs: number;
}

export type BenchParseResult = CommandLineResult<BenchOptions>;

export function parseBenchArgs(argv: readonly string[]): BenchParseResult {
  return readCommandLine(argv, {
    specs: BENCH_OPTION_SPECS,
    program: 'the bench',
    helpText: benchHelpText,
    // Every bench option, flags included, is given at most once.
    flagsOnce: true,
    build: buildOptions,
  });
}

function buildOptions(given: GivenOptions<BenchOptionName>): BenchOptions {
  const maxMs = HARNESS_LIMITS.durationMsMax;
  if (given.has('procs') && given.has('sweep-procs')) {
    throw new OptionError('--procs and --sweep-procs both name the process counts; give one of them');
  }
  const procsList = given.take('procs', parseProcsList) ??
    given.take('sweep-procs', parseProcsList) ?? [BENCH_DEFAULTS.procs];
  const duration = given.take('duration', (v) => values.durationInRange(v, 1, maxMs));
  const warmup = given.take('warmup', (v) => values.durationInRange(v, 0, maxMs));
  const pairs = given.take('pairs', (v) => values.integerInRange(v, 1, BENCH_LIMITS.pairsMax));
  const findMax = given.flag('find-max');
  if (findMax && procsList.length > 1) {
    throw new OptionError(
      `--find-max searches one process count: give --procs N, not a list (got ${procsList.join(',')})`,
    );
  }
  if (findMax && pairs !== undefined) {
    throw new OptionError('--pairs does not apply to --find-max (it searches each arm once); drop --pairs');
  }
  const drivers = given.take('drivers', parseDriverList);
  if (drivers !== undefined && procsList.length > 1) {
    throw new OptionError(
      `--drivers compares at one process count: give --procs N, not a list (got ${procsList.join(',')})`,
    );
  }
  return {
    procsList,
    rateEventsPerSec: given.take('rate', values.positiveNumber) ?? BENCH_DEFAULTS.rateEventsPerSec,
    durationMs: duration ?? BENCH_DEFAULTS.durationMs,
    warmupMs: warmup ?? BENCH_DEFAULTS.warmupMs,
    pairs: pairs ?? BENCH_DEFAULTS.pairs,
    payloadBytes:
      given.take('payload', (v) => values.sizeInRange(v, HARNESS_LIMITS.payloadBytesMax)) ??
      BENCH_DEFAULTS.payloadBytes,
    pacer: given.take('pacer', values.pacer) ?? BENCH_DEFAULTS.pacer,
    jsonPath: given.take('json', values.filePath),
    append: !given.flag('no-append'),
    findMax,
    ...(drivers === undefined ? {} : { drivers }),
    findMaxStep: { durationMs: duration, warmupMs: warmup },
    logLevel: given.take('log-level', values.logLevel) ?? BENCH_DEFAULTS.logLevel,
    allowLoad: given.flag('allow-load'),
    quietWaitMs: given.take('quiet-wait', (v) => values.durationInRange(v, 0, maxMs)) ?? BENCH_DEFAULTS.quietWaitMs,
  };
}

/**
 * "raw,evbridge,socketio": two or more distinct drivers, each a built-in's name or a module path; one may end in
 * @at-least-once (evbridge@at-least-once: the same driver in its durable mode, to compare the two).
 */
export function parseDriverList(raw: string): Parsed<string[]> {
  const drivers: string[] = [];
  for (const part of raw.split(',').map((item) => item.trim())) {
    if (part === '') return parseFailure('an empty item in the list');
    const driver = values.driver(armDelivery(part).driver);
    if (!driver.ok) return parseFailure(driver.reason);
    if (drivers.includes(part)) return parseFailure(`${part} is listed twice`);
    drivers.push(part);
  }
  return drivers.length < 2 ? parseFailure('side by side needs two drivers or more') : parsedValue(drivers);
}

/** "5" or "2,5,10,20": distinct integers in range, in the order given. */
export function parseProcsList(raw: string): Parsed<number[]> {
  const parts = raw.split(',').map((part) => part.trim());
  const counts: number[] = [];
  for (const part of parts) {
    const count = values.instanceCount(part);
    if (!count.ok)
      return parseFailure(part === '' ? 'an empty item in the list' : count.reason || `"${part}" is not one`);
    if (counts.includes(count.value)) return parseFailure(`${count.value} is listed twice`);
    counts.push(count.value);
  }
  return parsedValue(counts);
}
