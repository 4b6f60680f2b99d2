// Parses and validates the `pnpm bench` command line into BenchOptions, or help, or a one-line error. Never throws on user input.

import { describeParseArgsError } from '../command-line/parse-args-error.js';
import { OptionError, checkValue, rejectRepeats } from '../command-line/option-reader.js';
import { parseArgs } from 'node:util';
import { HARNESS_LIMITS } from '../config/defaults.js';
import type { LogLevel } from '../config/log-level.js';
import * as values from '../command-line/option-values.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import { BENCH_DEFAULTS, BENCH_LIMITS } from './defaults.js';
import type { BenchSettings } from './bench-document.js';
import { benchHelpText } from './help.js';
import { benchParseArgsConfig, findBenchOptionSpec, type BenchOptionName } from './option-specs.js';

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

export type BenchParseResult =
  | { kind: 'help'; text: string }
  | { kind: 'run'; options: BenchOptions }
  | { kind: 'error'; message: string };

const HELP_FLAGS = new Set(['--help', '-h']);

export function parseBenchArgs(argv: readonly string[]): BenchParseResult {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv);
  } catch (error) {
    if (argv.some((arg) => HELP_FLAGS.has(arg))) return { kind: 'help', text: benchHelpText() };
    return { kind: 'error', message: describeParseArgsError(error, 'the bench', findBenchOptionSpec) };
  }
  if (parsed.values.help === true) return { kind: 'help', text: benchHelpText() };
  try {
    // Every bench option, flags included, is given at most once.
    rejectRepeats(parsed.tokens, () => true);
    return { kind: 'run', options: buildOptions(parsed.values) };
  } catch (error) {
    if (error instanceof OptionError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function parseRaw(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: benchParseArgsConfig(),
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
}

type RawValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function buildOptions(raw: RawValues): BenchOptions {
  const maxMs = HARNESS_LIMITS.durationMsMax;
  if (raw.procs !== undefined && raw['sweep-procs'] !== undefined) {
    throw new OptionError('--procs and --sweep-procs both name the process counts; give one of them');
  }
  const procsList = take(raw, 'procs', parseProcsList) ??
    take(raw, 'sweep-procs', parseProcsList) ?? [BENCH_DEFAULTS.procs];
  const duration = take(raw, 'duration', (v) => values.durationInRange(v, 1, maxMs));
  const warmup = take(raw, 'warmup', (v) => values.durationInRange(v, 0, maxMs));
  const pairs = take(raw, 'pairs', (v) => values.integerInRange(v, 1, BENCH_LIMITS.pairsMax));
  const findMax = raw['find-max'] === true;
  if (findMax && procsList.length > 1) {
    throw new OptionError(
      `--find-max searches one process count: give --procs N, not a list (got ${procsList.join(',')})`,
    );
  }
  if (findMax && pairs !== undefined) {
    throw new OptionError('--pairs does not apply to --find-max (it runs raw once and the bridge once); drop --pairs');
  }
  return {
    procsList,
    rateEventsPerSec: take(raw, 'rate', values.positiveNumber) ?? BENCH_DEFAULTS.rateEventsPerSec,
    durationMs: duration ?? BENCH_DEFAULTS.durationMs,
    warmupMs: warmup ?? BENCH_DEFAULTS.warmupMs,
    pairs: pairs ?? BENCH_DEFAULTS.pairs,
    payloadBytes:
      take(raw, 'payload', (v) => values.sizeInRange(v, HARNESS_LIMITS.payloadBytesMax)) ?? BENCH_DEFAULTS.payloadBytes,
    pacer: take(raw, 'pacer', values.pacer) ?? BENCH_DEFAULTS.pacer,
    jsonPath: take(raw, 'json', values.filePath),
    append: raw['no-append'] !== true,
    findMax,
    findMaxStep: { durationMs: duration, warmupMs: warmup },
    logLevel: take(raw, 'log-level', values.logLevel) ?? BENCH_DEFAULTS.logLevel,
    allowLoad: raw['allow-load'] === true,
    quietWaitMs: take(raw, 'quiet-wait', (v) => values.durationInRange(v, 0, maxMs)) ?? BENCH_DEFAULTS.quietWaitMs,
  };
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

function take<T>(raw: RawValues, name: BenchOptionName, validate: (value: string) => Parsed<T>): T | undefined {
  const given = raw[name];
  if (typeof given !== 'string') return undefined;
  return checkValue(name, given, validate, findBenchOptionSpec(name)?.accepts ?? 'a valid value');
}
