// Parses and validates the harness command line into HarnessOptions, or help, or a one-line error. Never throws on user input.

import { parseRedisUrl, redactRedisUrl, topologyOfUrl } from '@evbridge/bridge';
import {
  FIND_MAX_DEFAULTS,
  HARNESS_DEFAULTS,
  HARNESS_LIMITS,
  REDIS_CA_FILE_ENV,
  REDIS_URL_ENV,
  STEP_SUMMARY_ENV,
} from '../config/defaults.js';
import type { FindMaxSettings, HarnessOptions } from '../config/harness-options.js';
import type { GivenOptions } from '../command-line/given-options.js';
import { OptionError, showValue } from '../command-line/option-reader.js';
import * as values from '../command-line/option-values.js';
import { findOption } from '../command-line/option-table.js';
import { readCommandLine, type CommandLineResult } from '../command-line/read-command-line.js';
import { faultPlanProblem } from '../faults/fault-options.js';
import { FAULT_KINDS } from '../model/fault-kinds.js';
import { chooseFaultTarget, FAULT_SEED_MAX } from '../faults/fault-target.js';
import { parseFault } from '../faults/parse-fault.js';
import { latencyUs, positiveRatio } from '../find-max/slo-values.js';
import { parseThreshold } from '../thresholds/parse-threshold.js';
import { resolveThresholds } from '../thresholds/default-thresholds.js';
import { helpText } from './help.js';
import { takeRemote } from './remote-options.js';
import { OPTION_SPECS, type OptionName } from './option-specs.js';

export type ParseResult = CommandLineResult<HarnessOptions>;

/** Options that were replaced, with what replaced them. */
export const RETIRED_OPTIONS = {
  transport:
    'use --driver instead: --driver=evbridge (was --transport=bridge) or --driver=raw (see --help for every driver)',
};

type Given = GivenOptions<OptionName>;

/**
 * `argv` is the arguments after the script (process.argv.slice(2)); `env` supplies REDIS_URL when --redis
 * is absent (an empty REDIS_URL counts as absent). --help wins over any other argument, valid or not.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParseResult {
  return readCommandLine(argv, {
    specs: OPTION_SPECS,
    program: 'the harness',
    helpText,
    flagsOnce: false,
    show: (name, value) => (name === 'redis' ? redactRedisUrl(value) : value),
    retired: RETIRED_OPTIONS,
    build: (given) => {
      const options = buildOptions(given, env);
      if (options.delivery === 'at-least-once' && options.topology === 'cluster') {
        throw new OptionError(
          "--delivery=at-least-once does not run on a Redis Cluster (the bridge's durable mode keeps one stream, on one server or a Sentinel group): drop --delivery, or use --topology=sentinel or standalone",
        );
      }
      const faultProblem = faultPlanProblem(options, given.raw);
      if (faultProblem !== undefined) throw new OptionError(faultProblem);
      return chooseFaultTarget(options);
    },
  });
}

function buildOptions(given: Given, env: NodeJS.ProcessEnv): HarnessOptions {
  const maxMs = HARNESS_LIMITS.durationMsMax;
  const redis = resolveRedisUrl(given, env);
  const remote = takeRemote(given, redis.url);
  const procs = remote.procs;
  const userThresholds = given.takeAll('threshold', parseThreshold);
  const faults = given.takeAll('fault', parseFault);
  const topologyFaults = (faults ?? []).some((fault) => FAULT_KINDS[fault.kind].needs === 'private-topology');
  return {
    rateEventsPerSec: given.take('rate', values.positiveNumber) ?? HARNESS_DEFAULTS.rateEventsPerSec,
    durationMs: given.take('duration', (v) => values.durationInRange(v, 1, maxMs)) ?? HARNESS_DEFAULTS.durationMs,
    warmupMs: given.take('warmup', (v) => values.durationInRange(v, 0, maxMs)) ?? HARNESS_DEFAULTS.warmupMs,
    payloadBytes:
      given.take('payload', (v) => values.sizeInRange(v, HARNESS_LIMITS.payloadBytesMax)) ??
      HARNESS_DEFAULTS.payloadBytes,
    redisUrl: redis.url,
    redisUrlSource: redis.source,
    ...takeTopology(given, redis.url),
    jsonPath: given.take('json', values.filePath),
    junitPath: given.take('junit', values.filePath),
    htmlPath: takeHtmlPath(given),
    summaryMdPath: given.take('summary-md', values.filePath),
    stepSummaryPath: env[STEP_SUMMARY_ENV] || undefined,
    dashboardPort: takeDashboard(given),
    thresholds: resolveThresholds(userThresholds, procs, given.has('fault'), topologyFaults),
    logLevel: given.take('log-level', values.logLevel) ?? HARNESS_DEFAULTS.logLevel,
    driver: given.take('driver', values.driver) ?? HARNESS_DEFAULTS.driver,
    pacer: given.take('pacer', values.pacer) ?? HARNESS_DEFAULTS.pacer,
    delivery: given.take('delivery', values.delivery) ?? HARNESS_DEFAULTS.delivery,
    ...takeWorlds(given),
    drainTimeoutMs:
      given.take('drain-timeout', (v) => values.durationInRange(v, 1, maxMs)) ?? HARNESS_DEFAULTS.drainTimeoutMs,
    readyTimeoutMs:
      given.take('ready-timeout', (v) => values.durationInRange(v, 1, maxMs)) ?? HARNESS_DEFAULTS.readyTimeoutMs,
    statsTimeoutMs:
      given.take('stats-timeout', (v) => values.durationInRange(v, HARNESS_LIMITS.statsTimeoutMsMin, maxMs)) ??
      HARNESS_DEFAULTS.statsTimeoutMs,
    redisCaFile: resolveRedisCaFile(given, env, redis.url),
    faults,
    faultTarget: given.take('fault-target', (v) => values.integerInRange(v, 0, procs - 1)),
    faultSeed: given.take('fault-seed', (v) => values.integerInRange(v, 0, FAULT_SEED_MAX)),
    findMax: takeFindMax(given),
    ...takeConformance(given),
    ...remote,
  };
}

/** --html renders one run's report: the commands that make something else say how to get their page. */
function takeHtmlPath(given: Given): string | undefined {
  const path = given.take('html', values.filePath);
  if (path === undefined) return undefined;
  const other = (['find-max', 'compare-modes', 'conformance'] as const).find((name) => given.flag(name));
  if (other !== undefined) {
    throw new OptionError(
      `--html renders one run's report, which --${other} does not make: drop --html${other === 'find-max' ? ', write --json FILE and render it with pnpm report FILE --html OUT' : ''}`,
    );
  }
  return path;
}

/** --dashboard shows one measured run: a search, a pair of runs or a conformance check has none to show. */
function takeDashboard(given: Given): number | undefined {
  const port = given.take('dashboard', (v) => values.integerInRange(v, 0, 65_535));
  if (port === undefined) return undefined;
  const other = (['find-max', 'compare-modes', 'conformance'] as const).find((name) => given.has(name));
  if (other !== undefined) {
    throw new OptionError(`--dashboard shows a single run and does not apply with --${other}: drop one of them`);
  }
  return port;
}

/** --conformance checks a driver instead of measuring: the options of a measured run do not apply. */
function takeConformance(given: Given): Pick<HarnessOptions, 'conformance'> {
  if (!given.flag('conformance')) return {};
  const measuring = [
    'find-max',
    'compare-modes',
    'fault',
    'threshold',
    'mode',
    'isolate',
    'identity',
    'delivery',
  ] as const;
  const conflicting = measuring.filter((name) => given.has(name));
  if (conflicting.length > 0) {
    throw new OptionError(
      `--conformance checks the driver and measures nothing: drop ${conflicting.map((name) => `--${name}`).join(', ')}`,
    );
  }
  return { conformance: true };
}

/** --mode, --isolate, --identity, --allow-collisions and --compare-modes, checked against each other. */
function takeWorlds(
  given: Given,
): Pick<HarnessOptions, 'mode' | 'isolate' | 'identity' | 'allowCollisions' | 'compareModes'> {
  const mode = given.take('mode', values.mode) ?? HARNESS_DEFAULTS.mode;
  const isolate = given.take('isolate', values.isolate) ?? HARNESS_DEFAULTS.isolate;
  const compareModes = given.flag('compare-modes');
  if (compareModes && given.has('mode')) {
    throw new OptionError('--compare-modes runs both --mode=procs and --mode=threads; drop --mode');
  }
  if (compareModes && given.flag('find-max')) {
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
    identity: given.take('identity', values.identity) ?? HARNESS_DEFAULTS.identity,
    allowCollisions: given.flag('allow-collisions'),
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
function takeFindMax(given: Given): FindMaxSettings | undefined {
  if (!given.flag('find-max')) {
    const stray = FIND_MAX_ONLY.find((name) => given.has(name));
    if (stray !== undefined)
      throw new OptionError(`--${stray} applies only with --find-max; add --find-max or drop --${stray}`);
    return undefined;
  }
  for (const [name, instead] of NOT_WITH_FIND_MAX) {
    if (given.has(name)) throw new OptionError(`--${name} does not apply with --find-max: ${instead}; drop --${name}`);
  }
  const maxMs = HARNESS_LIMITS.durationMsMax;
  return {
    slo: {
      minDeliveryRatio: FIND_MAX_DEFAULTS.slo.minDeliveryRatio,
      maxP99Us: given.take('slo-p99', latencyUs) ?? FIND_MAX_DEFAULTS.slo.maxP99Us,
      minPublishRatio: given.take('slo-publish', positiveRatio) ?? FIND_MAX_DEFAULTS.slo.minPublishRatio,
    },
    stepDurationMs:
      given.take('step-duration', (v) => values.durationInRange(v, 1, maxMs)) ?? FIND_MAX_DEFAULTS.stepDurationMs,
    stepWarmupMs:
      given.take('step-warmup', (v) => values.durationInRange(v, 0, maxMs)) ?? FIND_MAX_DEFAULTS.stepWarmupMs,
    maxSteps:
      given.take('max-steps', (v) => values.integerInRange(v, 1, HARNESS_LIMITS.findMaxStepsMax)) ??
      FIND_MAX_DEFAULTS.maxSteps,
  };
}

interface RedisUrlChoice {
  url: string | undefined;
  source: HarnessOptions['redisUrlSource'];
}

/** --redis wins over REDIS_URL; both are validated the same way, and quoted redacted in errors. */
function resolveRedisUrl(given: Given, env: NodeJS.ProcessEnv): RedisUrlChoice {
  const fromOption = given.take('redis', values.redisUrl);
  if (fromOption !== undefined) return { url: fromOption, source: 'option' };
  const fromEnv = env[REDIS_URL_ENV];
  if (fromEnv === undefined || fromEnv === '') return { url: undefined, source: undefined };
  const checked = values.redisUrl(fromEnv);
  if (!checked.ok) {
    const accepts = findOption(OPTION_SPECS, 'redis')?.accepts ?? '';
    throw new OptionError(
      `${REDIS_URL_ENV} (environment) must be ${accepts} (got ${showValue(redactRedisUrl(fromEnv))}); ${checked.reason}; fix it or pass --redis`,
    );
  }
  return { url: checked.value, source: 'env' };
}

/**
 * --topology, or the one a redis+sentinel:// or redis+cluster:// URL names (an existing deployment); the two must
 * agree. Absent for a plain standalone run.
 */
function takeTopology(given: Given, url: string | undefined): Pick<HarnessOptions, 'topology'> {
  const asked = given.take('topology', values.topology);
  const named = url === undefined ? undefined : topologyOfUrl(url);
  if (asked !== undefined && named !== undefined && asked !== named) {
    const form = named === 'standalone' ? 'a redis:// URL (one server)' : `a redis+${named}:// URL`;
    throw new OptionError(
      `--topology=${asked} contradicts the Redis URL, ${form}: drop --topology, or give a redis+${asked}:// URL (or none, to start a private ${asked})`,
    );
  }
  const topology = asked ?? named;
  return topology === undefined || topology === 'standalone' ? {} : { topology };
}

/**
 * --redis-ca wins over REDIS_CA_FILE. The option is refused without a rediss:// URL (it would be silently unused);
 * the ambient REDIS_CA_FILE applies only when the URL is rediss://.
 */
function resolveRedisCaFile(given: Given, env: NodeJS.ProcessEnv, url: string | undefined): string | undefined {
  const tls = url !== undefined && parseRedisUrl(url).tls;
  const fromOption = given.take('redis-ca', values.filePath);
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

/** Every option name the parser knows, for tests and tooling. */
export function optionNames(): OptionName[] {
  return OPTION_SPECS.map((spec) => spec.name);
}
