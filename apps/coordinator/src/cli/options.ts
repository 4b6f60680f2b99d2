// Parses and validates the harness command line into HarnessOptions, or help, or a one-line error. Never throws on user input.

import { parseArgs } from 'node:util';
import { resolveThresholds } from '../thresholds/default-thresholds.js';
import { faultPlanProblem } from '../faults/fault-options.js';
import { parseFault } from '../faults/parse-fault.js';
import { chooseFaultTarget, FAULT_SEED_MAX } from '../faults/fault-target.js';
import {
  FIND_MAX_DEFAULTS,
  HARNESS_DEFAULTS,
  HARNESS_LIMITS,
  REDIS_CA_FILE_ENV,
  REDIS_URL_ENV,
} from '../config/defaults.js';
import type { FindMaxSettings, HarnessOptions } from '../config/harness-options.js';
import { latencyUs, positiveRatio } from '../find-max/slo-values.js';
import { helpText } from './help.js';
import * as values from '../command-line/option-values.js';
import { OPTION_SPECS, findOptionSpec, parseArgsConfig, type OptionName } from './option-specs.js';
import type { Parsed } from '../config/parsed.js';
import { redactRedisUrl } from '@evbridge/bridge';
import { describeParseArgsError } from '../command-line/parse-args-error.js';
import { OptionError, checkValue, rejectRepeats, showValue } from '../command-line/option-reader.js';

export type { HarnessOptions } from '../config/harness-options.js';

export type ParseResult =
  | { kind: 'help'; text: string }
  | { kind: 'run'; options: HarnessOptions }
  | { kind: 'error'; message: string };

const HELP_FLAGS = new Set(['--help', '-h']);

/**
 * `argv` is the arguments after the script (process.argv.slice(2)); `env` supplies REDIS_URL when --redis
 * is absent (an empty REDIS_URL counts as absent). --help wins over any other argument, valid or not.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParseResult {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv);
  } catch (error) {
    if (argv.some((arg) => HELP_FLAGS.has(arg))) return { kind: 'help', text: helpText() };
    return { kind: 'error', message: describeParseArgsError(error, 'the harness', findOptionSpec) };
  }
  if (parsed.values.help === true) return { kind: 'help', text: helpText() };
  try {
    rejectRepeats(parsed.tokens, (name) => {
      const spec = findOptionSpec(name);
      return spec !== undefined && !spec.multiple && spec.valueName !== undefined;
    });
    const options = buildOptions(parsed.values, env);
    const faultProblem = faultPlanProblem(options, parsed.values);
    if (faultProblem !== undefined) throw new OptionError(faultProblem);
    return { kind: 'run', options: chooseFaultTarget(options) };
  } catch (error) {
    if (error instanceof OptionError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function parseRaw(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: parseArgsConfig(),
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
}

type RawValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function buildOptions(raw: RawValues, env: NodeJS.ProcessEnv): HarnessOptions {
  const procs = take(raw, 'procs', values.instanceCount) ?? HARNESS_DEFAULTS.procs;
  const maxMs = HARNESS_LIMITS.durationMsMax;
  const redis = resolveRedisUrl(raw, env);
  const userThresholds = takeAll(raw, 'threshold', values.threshold);
  return {
    procs,
    rateEventsPerSec: take(raw, 'rate', values.positiveNumber) ?? HARNESS_DEFAULTS.rateEventsPerSec,
    durationMs: take(raw, 'duration', (v) => values.durationInRange(v, 1, maxMs)) ?? HARNESS_DEFAULTS.durationMs,
    warmupMs: take(raw, 'warmup', (v) => values.durationInRange(v, 0, maxMs)) ?? HARNESS_DEFAULTS.warmupMs,
    payloadBytes:
      take(raw, 'payload', (v) => values.sizeInRange(v, HARNESS_LIMITS.payloadBytesMax)) ??
      HARNESS_DEFAULTS.payloadBytes,
    redisUrl: redis.url,
    redisUrlSource: redis.source,
    jsonPath: take(raw, 'json', values.filePath),
    thresholds: resolveThresholds(userThresholds, procs, raw['fault'] !== undefined),
    logLevel: take(raw, 'log-level', values.logLevel) ?? HARNESS_DEFAULTS.logLevel,
    transport: take(raw, 'transport', values.transport) ?? HARNESS_DEFAULTS.transport,
    pacer: take(raw, 'pacer', values.pacer) ?? HARNESS_DEFAULTS.pacer,
    ...takeWorlds(raw),
    drainTimeoutMs:
      take(raw, 'drain-timeout', (v) => values.durationInRange(v, 1, maxMs)) ?? HARNESS_DEFAULTS.drainTimeoutMs,
    readyTimeoutMs:
      take(raw, 'ready-timeout', (v) => values.durationInRange(v, 1, maxMs)) ?? HARNESS_DEFAULTS.readyTimeoutMs,
    statsTimeoutMs:
      take(raw, 'stats-timeout', (v) => values.durationInRange(v, HARNESS_LIMITS.statsTimeoutMsMin, maxMs)) ??
      HARNESS_DEFAULTS.statsTimeoutMs,
    redisCaFile: resolveRedisCaFile(raw, env, redis.url),
    faults: takeAll(raw, 'fault', parseFault),
    faultTarget: take(raw, 'fault-target', (v) => values.integerInRange(v, 0, procs - 1)),
    faultSeed: take(raw, 'fault-seed', (v) => values.integerInRange(v, 0, FAULT_SEED_MAX)),
    findMax: takeFindMax(raw),
  };
}

/** --mode, --isolate, --identity, --allow-collisions and --compare-modes, checked against each other. */
function takeWorlds(
  raw: RawValues,
): Pick<HarnessOptions, 'mode' | 'isolate' | 'identity' | 'allowCollisions' | 'compareModes'> {
  const mode = take(raw, 'mode', values.mode) ?? HARNESS_DEFAULTS.mode;
  const isolate = take(raw, 'isolate', values.isolate) ?? HARNESS_DEFAULTS.isolate;
  const compareModes = raw['compare-modes'] === true;
  if (compareModes && raw['mode'] !== undefined) {
    throw new OptionError('--compare-modes runs both --mode=procs and --mode=threads; drop --mode');
  }
  if (compareModes && raw['find-max'] === true) {
    throw new OptionError(
      '--compare-modes does not apply with --find-max: run --find-max once per --mode instead; drop one of them',
    );
  }
  if (mode === 'threads' && isolate === 'pidns') {
    throw new OptionError(
      '--isolate=pidns puts each worker process in its own PID namespace, and --mode=threads has one process; drop one of them',
    );
  }
  if (compareModes && isolate === 'pidns') {
    throw new OptionError(
      '--compare-modes runs a threads run, which has one process and no PID namespace per worker; run --isolate=pidns on its own',
    );
  }
  return {
    mode,
    isolate,
    identity: take(raw, 'identity', values.identity) ?? HARNESS_DEFAULTS.identity,
    allowCollisions: raw['allow-collisions'] === true,
    compareModes,
  };
}

const FIND_MAX_ONLY: readonly OptionName[] = ['slo-p99', 'slo-publish', 'step-duration', 'step-warmup', 'max-steps'];
/** Options of a single run that --find-max replaces, and what replaces them. */
const NOT_WITH_FIND_MAX: ReadonlyArray<readonly [OptionName, string]> = [
  ['duration', 'each step lasts --step-duration'],
  ['warmup', 'each step warms up for --step-warmup'],
  ['threshold', 'each step is judged by the SLO (--slo-p99, --slo-publish, delivery 100%)'],
];

/** The --find-max settings, or undefined for a plain run; rejects options that do not apply. */
function takeFindMax(raw: RawValues): FindMaxSettings | undefined {
  if (raw['find-max'] !== true) {
    const stray = FIND_MAX_ONLY.find((name) => raw[name] !== undefined);
    if (stray !== undefined)
      throw new OptionError(`--${stray} applies only with --find-max; add --find-max or drop --${stray}`);
    return undefined;
  }
  for (const [name, instead] of NOT_WITH_FIND_MAX) {
    if (raw[name] !== undefined)
      throw new OptionError(`--${name} does not apply with --find-max: ${instead}; drop --${name}`);
  }
  const maxMs = HARNESS_LIMITS.durationMsMax;
  return {
    slo: {
      minDeliveryRatio: FIND_MAX_DEFAULTS.slo.minDeliveryRatio,
      maxP99Us: take(raw, 'slo-p99', latencyUs) ?? FIND_MAX_DEFAULTS.slo.maxP99Us,
      minPublishRatio: take(raw, 'slo-publish', positiveRatio) ?? FIND_MAX_DEFAULTS.slo.minPublishRatio,
    },
    stepDurationMs:
      take(raw, 'step-duration', (v) => values.durationInRange(v, 1, maxMs)) ?? FIND_MAX_DEFAULTS.stepDurationMs,
    stepWarmupMs:
      take(raw, 'step-warmup', (v) => values.durationInRange(v, 0, maxMs)) ?? FIND_MAX_DEFAULTS.stepWarmupMs,
    maxSteps:
      take(raw, 'max-steps', (v) => values.integerInRange(v, 1, HARNESS_LIMITS.findMaxStepsMax)) ??
      FIND_MAX_DEFAULTS.maxSteps,
  };
}

interface RedisUrlChoice {
  url: string | undefined;
  source: HarnessOptions['redisUrlSource'];
}

/** --redis wins over REDIS_URL; both are validated the same way, and quoted redacted in errors. */
function resolveRedisUrl(raw: RawValues, env: NodeJS.ProcessEnv): RedisUrlChoice {
  const fromOption = take(raw, 'redis', values.redisUrl);
  if (fromOption !== undefined) return { url: fromOption, source: 'option' };
  const fromEnv = env[REDIS_URL_ENV];
  if (fromEnv === undefined || fromEnv === '') return { url: undefined, source: undefined };
  const checked = values.redisUrl(fromEnv);
  if (!checked.ok) {
    const accepts = findOptionSpec('redis')?.accepts ?? '';
    throw new OptionError(
      `${REDIS_URL_ENV} (environment) must be ${accepts} (got ${showValue(redactRedisUrl(fromEnv))}); ${checked.reason}; fix it or pass --redis`,
    );
  }
  return { url: checked.value, source: 'env' };
}

/**
 * --redis-ca wins over REDIS_CA_FILE. The option is refused without a rediss:// URL (it would be silently unused);
 * the ambient REDIS_CA_FILE applies only when the URL is rediss://.
 */
function resolveRedisCaFile(raw: RawValues, env: NodeJS.ProcessEnv, url: string | undefined): string | undefined {
  const tls = url !== undefined && new URL(url).protocol === 'rediss:';
  const fromOption = take(raw, 'redis-ca', values.filePath);
  if (fromOption !== undefined) {
    if (!tls) {
      throw new OptionError(
        `--redis-ca applies only to a rediss:// Redis (TLS): give a rediss:// URL in --redis or ${REDIS_URL_ENV}, or drop --redis-ca`,
      );
    }
    return fromOption;
  }
  const fromEnv = env[REDIS_CA_FILE_ENV];
  return tls && fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

/** The validated value of a single-valued option, or undefined when it was not given. */
function take<T>(raw: RawValues, name: OptionName, validate: (value: string) => Parsed<T>): T | undefined {
  const given = raw[name];
  if (typeof given !== 'string') return undefined;
  return check(name, given, validate);
}

/** The validated values of a repeatable option, in command-line order. */
function takeAll<T>(raw: RawValues, name: OptionName, validate: (value: string) => Parsed<T>): T[] {
  const given = raw[name];
  if (!Array.isArray(given)) return [];
  return given
    .filter((value): value is string => typeof value === 'string')
    .map((value) => check(name, value, validate));
}

function check<T>(name: OptionName, given: string, validate: (value: string) => Parsed<T>): T {
  const accepts = findOptionSpec(name)?.accepts ?? 'a valid value';
  return checkValue(name, given, validate, accepts, name === 'redis' ? redactRedisUrl(given) : given);
}

/** Every option name the parser knows, for tests and tooling. */
export function optionNames(): OptionName[] {
  return OPTION_SPECS.map((spec) => spec.name);
}
