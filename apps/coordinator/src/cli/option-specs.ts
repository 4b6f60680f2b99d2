// The harness's options: one table that drives node:util parseArgs, the help text and error messages.

import { BUILTIN_DRIVERS } from '@evbridge/drivers';
import { HELP_OPTION, type OptionSpec } from '../command-line/option-table.js';
import { THRESHOLD_SYNTAX } from '../thresholds/parse-threshold.js';
import { FAULT_KIND_NAMES } from '../model/fault-kinds.js';
import { FAULT_SYNTAX } from '../faults/parse-fault.js';
import { FAULT_SEED_MAX } from '../faults/fault-target.js';
import { CONTROL_TOKEN_ENV } from '@evbridge/protocol';
import {
  FIND_MAX_DEFAULTS,
  HARNESS_DEFAULTS,
  HARNESS_LIMITS,
  REDIS_CA_FILE_ENV,
  REDIS_URL_ENV,
  SENTINEL_DEFAULTS,
  CLUSTER_DEFAULTS,
  STEP_SUMMARY_ENV,
} from '../config/defaults.js';
import { formatDurationMs } from '../config/duration.js';
import { TOPOLOGIES } from '../config/option-names.js';
import { LOG_LEVELS } from '../config/log-level.js';
import { formatSizeBytes } from '../config/size.js';
import { formatPercent } from '../render/format.js';

export type OptionName =
  | 'procs'
  | 'rate'
  | 'duration'
  | 'warmup'
  | 'payload'
  | 'redis'
  | 'redis-ca'
  | 'topology'
  | 'json'
  | 'junit'
  | 'html'
  | 'summary-md'
  | 'dashboard'
  | 'threshold'
  | 'log-level'
  | 'driver'
  | 'pacer'
  | 'mode'
  | 'isolate'
  | 'identity'
  | 'delivery'
  | 'allow-collisions'
  | 'compare-modes'
  | 'conformance'
  | 'drain-timeout'
  | 'ready-timeout'
  | 'stats-timeout'
  | 'find-max'
  | 'slo-p99'
  | 'slo-publish'
  | 'step-duration'
  | 'step-warmup'
  | 'max-steps'
  | 'fault'
  | 'fault-target'
  | 'fault-seed'
  | 'listen'
  | 'expect-workers'
  | 'arrival-timeout'
  | 'token-file'
  | 'tls-cert'
  | 'tls-key'
  | 'redis-bind'
  | 'help';

const maxDuration = formatDurationMs(HARNESS_LIMITS.durationMsMax);
const durationHint = 'a number with ms, s, m or h';

export const OPTION_SPECS: readonly OptionSpec<OptionName>[] = [
  {
    name: 'procs',
    valueName: '<n>',
    multiple: false,
    accepts: `an integer from ${HARNESS_LIMITS.procsMin} to ${HARNESS_LIMITS.procsMax}`,
    description:
      'worker processes to fork, one bridge instance each; with --listen, the local ones besides the remote workers (0 when --listen is given without --procs)',
    defaultText: String(HARNESS_DEFAULTS.procs),
  },
  {
    name: 'rate',
    valueName: '<events/s>',
    multiple: false,
    accepts: 'a number of events per second greater than 0, such as 1000 or 2.5',
    description: 'total publish rate across all workers; each publishes rate / procs',
    defaultText: String(HARNESS_DEFAULTS.rateEventsPerSec),
  },
  {
    name: 'duration',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from 1ms to ${maxDuration} (${durationHint}), such as 30s or 1.5m`,
    description: 'length of the measured phase',
    defaultText: formatDurationMs(HARNESS_DEFAULTS.durationMs),
  },
  {
    name: 'warmup',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from 0s to ${maxDuration} (${durationHint}), such as 5s or 0s`,
    description: 'unmeasured traffic before the measured phase (0s to skip)',
    defaultText: formatDurationMs(HARNESS_DEFAULTS.warmupMs),
  },
  {
    name: 'payload',
    valueName: '<bytes>',
    multiple: false,
    accepts: `a size from 0 to ${formatSizeBytes(HARNESS_LIMITS.payloadBytesMax)}: bytes, or with a suffix b, kb (1000), kib (1024), mb or mib, such as 256 or 4kib`,
    description: 'payload bytes per event',
    defaultText: String(HARNESS_DEFAULTS.payloadBytes),
  },
  {
    name: 'redis',
    valueName: '<url>',
    multiple: false,
    accepts:
      'a redis:// or rediss:// URL with a host, such as redis://127.0.0.1:6379; redis+sentinel://[:password@]host:port[,host:port...]/masterName for a Sentinel group; redis+cluster://[:password@]host:port[,host:port...] for a Cluster',
    description: `Redis to use; overrides ${REDIS_URL_ENV}; a redis+sentinel:// or redis+cluster:// URL implies that topology`,
    defaultText: `$${REDIS_URL_ENV}, else a private redis-server`,
  },
  {
    name: 'topology',
    valueName: '<kind>',
    multiple: false,
    accepts: TOPOLOGIES.join(', '),
    description: `the private Redis to start: standalone, one redis-server; sentinel, a master, a replica and three sentinels (quorum 2, down-after-milliseconds ${SENTINEL_DEFAULTS.downAfterMs}: a dead master is thought down after ${formatDurationMs(SENTINEL_DEFAULTS.downAfterMs)}, then failed over); cluster, three shard masters with a replica each (cluster-node-timeout ${CLUSTER_DEFAULTS.nodeTimeoutMs} ms, so kill-node is failed over in about 2 s)`,
    defaultText: 'standalone, or what --redis names',
  },
  {
    name: 'redis-ca',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path of a PEM CA certificate, with a rediss:// Redis',
    description: `CA certificate (PEM) that signed a rediss:// Redis's certificate; overrides ${REDIS_CA_FILE_ENV}`,
    defaultText: `$${REDIS_CA_FILE_ENV}, else Node's CAs`,
  },
  {
    name: 'json',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path',
    description: 'also write the report as JSON to this file',
    defaultText: undefined,
  },
  {
    name: 'junit',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path',
    description:
      'also write the verdict as JUnit XML to this file: one testcase per threshold (a failure carries the actual value) and per fault',
    defaultText: undefined,
  },
  {
    name: 'html',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path',
    description:
      'also write the report as one self-contained HTML page to this file (verdict, thresholds, latency by percentile, per-second charts with faults shaded, instances, loss matrix); it opens from disk with no network',
    defaultText: undefined,
  },
  {
    name: 'summary-md',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path',
    description: `also write a short Markdown summary to this file: verdict, thresholds, delivery, latency, faults, problems (also appended to $${STEP_SUMMARY_ENV} when that is set)`,
    defaultText: undefined,
  },
  {
    name: 'dashboard',
    valueName: '<port>',
    bareValue: String(HARNESS_DEFAULTS.dashboardPort),
    multiple: false,
    accepts: 'a port number from 0 to 65535 (0: any free port), joined with = (--dashboard=8080)',
    description: `serve the run live on http://127.0.0.1:PORT (port ${HARNESS_DEFAULTS.dashboardPort} when bare): charts and figures updated once a second, the final report at the end`,
    defaultText: undefined,
  },
  {
    name: 'threshold',
    valueName: '<expr>',
    multiple: true,
    accepts: THRESHOLD_SYNTAX,
    description: 'a condition the run must meet; repeatable (see Thresholds)',
    defaultText: 'delivery==100%, selfReceived==0, amplification==N-1, publishRatio==100%',
  },
  {
    name: 'log-level',
    valueName: '<level>',
    multiple: false,
    accepts: `one of ${LOG_LEVELS.join(', ')}`,
    description: `log level: ${LOG_LEVELS.join(', ')}`,
    defaultText: HARNESS_DEFAULTS.logLevel,
  },
  {
    name: 'driver',
    valueName: '<name or path>',
    multiple: false,
    accepts: `one of ${BUILTIN_DRIVERS.join(', ')}, or a path to a driver module (docs/drivers.md)`,
    description: `the system under test: a built-in driver (${BUILTIN_DRIVERS.join(', ')}; docs/drivers.md says what each runs) or your own driver module (ESM, see docs/drivers.md)`,
    defaultText: HARNESS_DEFAULTS.driver,
  },
  {
    name: 'pacer',
    valueName: '<kind>',
    multiple: false,
    accepts: 'open-loop, precise or naive-interval',
    description:
      'how each worker paces its publishes, whatever the driver: open-loop sleeps on a timer until each event is due (up to ~1 ms late); precise finishes the last millisecond by polling the clock once per event-loop turn (on time, costs CPU); naive-interval emits what is due on a 1 ms setInterval. None blocks receiving',
    defaultText: HARNESS_DEFAULTS.pacer,
  },
  {
    name: 'mode',
    valueName: '<mode>',
    multiple: false,
    accepts: 'procs or threads',
    description:
      'procs: one OS process per instance (as deployed); threads: worker threads of one process (piscina), as in-process tests run',
    defaultText: HARNESS_DEFAULTS.mode,
  },
  {
    name: 'isolate',
    valueName: '<how>',
    multiple: false,
    accepts: 'none or pidns',
    description: 'pidns: each worker process in its own PID namespace, pid 1 as in a container (Linux, root; unshare)',
    defaultText: HARNESS_DEFAULTS.isolate,
  },
  {
    name: 'identity',
    valueName: '<scheme>',
    multiple: false,
    accepts: 'default or pid',
    description:
      'instance id: default is host:pid:nonce (collision-proof); pid is process.pid alone, to show what that does',
    defaultText: HARNESS_DEFAULTS.identity,
  },
  {
    name: 'delivery',
    valueName: '<mode>',
    multiple: false,
    accepts: 'at-most-once or at-least-once',
    description:
      "at-most-once: the driver's pub/sub; at-least-once: its durable mode (evbridge: Redis Streams, resumes from its cursor), with the private redis-server on appendonly",
    defaultText: HARNESS_DEFAULTS.delivery,
  },
  {
    name: 'allow-collisions',
    valueName: undefined,
    multiple: false,
    accepts: 'no value',
    description:
      "run even when instances share an instance id, to see the consequence (their peers' events dropped as echoes)",
    defaultText: undefined,
  },
  {
    name: 'compare-modes',
    valueName: undefined,
    multiple: false,
    accepts: 'no value',
    description:
      'run --mode=procs then --mode=threads with the same settings; print both side by side (see Three worlds)',
    defaultText: undefined,
  },
  {
    name: 'conformance',
    valueName: undefined,
    multiple: false,
    accepts: 'no value',
    description:
      "instead of a run, check the --driver against the driver API's properties in --procs real processes (subscribe-before-ready, self-filter, fan-out, survives a subscriber kill, close without leaks): exit 0 when all hold, 1 when one fails (see docs/drivers.md)",
    defaultText: undefined,
  },
  {
    name: 'drain-timeout',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from 1ms to ${maxDuration} (${durationHint}), such as 5s`,
    description: 'after the last publish, how long to wait for in-flight events',
    defaultText: formatDurationMs(HARNESS_DEFAULTS.drainTimeoutMs),
  },
  {
    name: 'ready-timeout',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from 1ms to ${maxDuration} (${durationHint}), such as 15s`,
    description: 'how long every worker has to connect and subscribe',
    defaultText: formatDurationMs(HARNESS_DEFAULTS.readyTimeoutMs),
  },
  {
    name: 'stats-timeout',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from ${formatDurationMs(HARNESS_LIMITS.statsTimeoutMsMin)} to ${maxDuration} (${durationHint}), such as 5s`,
    description: 'a worker that sends no stats (one a second) this long is hung: named, killed, the run fails',
    defaultText: formatDurationMs(HARNESS_DEFAULTS.statsTimeoutMs),
  },
  {
    name: 'find-max',
    valueName: undefined,
    multiple: false,
    accepts: 'no value',
    description: 'instead of one run, search the highest total rate that holds the SLO, from --rate up (see Find max)',
    defaultText: undefined,
  },
  {
    name: 'slo-p99',
    valueName: '<time>',
    multiple: false,
    accepts: 'a latency greater than 0 with a unit us, ms or s, such as 10ms or 800us',
    description: 'with --find-max: a step passes only if latency p99 (from the intended time) is below this',
    defaultText: `${FIND_MAX_DEFAULTS.slo.maxP99Us / 1000}ms`,
  },
  {
    name: 'slo-publish',
    valueName: '<percent>',
    multiple: false,
    accepts: 'a percent or a fraction greater than 0 and at most 1, such as 97% or 0.97',
    description:
      'with --find-max: a step passes only if the achieved publish rate is at least this share of its target',
    defaultText: formatPercent(FIND_MAX_DEFAULTS.slo.minPublishRatio),
  },
  {
    name: 'step-duration',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from 1ms to ${maxDuration} (${durationHint}), such as 5s`,
    description: 'with --find-max: measured length of each step',
    defaultText: formatDurationMs(FIND_MAX_DEFAULTS.stepDurationMs),
  },
  {
    name: 'step-warmup',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from 0s to ${maxDuration} (${durationHint}), such as 2s or 0s`,
    description: 'with --find-max: unmeasured traffic before each step is measured',
    defaultText: formatDurationMs(FIND_MAX_DEFAULTS.stepWarmupMs),
  },
  {
    name: 'max-steps',
    valueName: '<n>',
    multiple: false,
    accepts: `an integer from 1 to ${HARNESS_LIMITS.findMaxStepsMax}`,
    description: 'with --find-max: steps measured at most; the answer is then the best rate found so far',
    defaultText: String(FIND_MAX_DEFAULTS.maxSteps),
  },
  {
    name: 'fault',
    valueName: '<KIND@T[:D]>',
    multiple: true,
    accepts: FAULT_SYNTAX,
    description: `inject fault KIND at T after measurement starts, lasting D (block-worker@5s:500ms); repeatable; KIND: ${FAULT_KIND_NAMES.join(', ')}`,
    defaultText: undefined,
  },
  {
    name: 'fault-target',
    valueName: '<index>',
    multiple: false,
    accepts: 'a worker index from 0 to --procs minus 1',
    description: 'the worker that worker faults (kill-worker, stop-worker, ...) hit; named in the report',
    defaultText: 'a random worker, see --fault-seed',
  },
  {
    name: 'fault-seed',
    valueName: '<n>',
    multiple: false,
    accepts: `an integer from 0 to ${FAULT_SEED_MAX}`,
    description: 'without --fault-target: the seed that picks the worker faults hit; the report prints the one used',
    defaultText: 'random',
  },
  {
    name: 'listen',
    valueName: '<host:port>',
    multiple: false,
    accepts: 'HOST:PORT, such as 127.0.0.1:7400, 0.0.0.0:7400 or [::1]:7400 (port 0: any free port)',
    description:
      'listen for remote workers (pnpm evbridge-worker) on this address: they connect over WebSocket, prove the run token, and speak the protocol a forked worker does (see Workers on other hosts)',
    defaultText: undefined,
  },
  {
    name: 'expect-workers',
    valueName: '<n>',
    multiple: false,
    accepts: `an integer from 1 to ${HARNESS_LIMITS.procsMax}, with --listen`,
    description:
      'with --listen: how many remote workers the run waits for; they take the indices after the --procs local ones, in arrival order',
    defaultText: undefined,
  },
  {
    name: 'arrival-timeout',
    valueName: '<time>',
    multiple: false,
    accepts: `a duration from 1ms to ${maxDuration} (${durationHint}), such as 2m, with --listen`,
    description: 'with --listen: how long the remote workers have to connect and authenticate before the run stops',
    defaultText: formatDurationMs(HARNESS_DEFAULTS.arrivalTimeoutMs),
  },
  {
    name: 'token-file',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path of a file only its owner can read (chmod 600), with --listen',
    description: `with --listen: the run token workers must prove they hold (never given as an argument); overrides ${CONTROL_TOKEN_ENV}`,
    defaultText: `$${CONTROL_TOKEN_ENV}, else a new token in a new file whose path is printed`,
  },
  {
    name: 'tls-cert',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path of a PEM certificate, with --listen and --tls-key',
    description: 'with --listen: serve wss:// (TLS) with this certificate; workers trust its CA with --ca',
    defaultText: 'ws:// (no TLS)',
  },
  {
    name: 'tls-key',
    valueName: '<path>',
    multiple: false,
    accepts: 'a file path of a PEM private key, with --listen and --tls-cert',
    description: "with --listen: the private key of --tls-cert's certificate",
    defaultText: undefined,
  },
  {
    name: 'redis-bind',
    valueName: '<address>',
    multiple: false,
    accepts: 'an IP address of this host, such as 10.0.0.5 (not 0.0.0.0: workers need an address to reach)',
    description:
      'the address the private redis-server listens on (with its random password), for remote workers to reach it',
    defaultText: HARNESS_DEFAULTS.redisBind,
  },
  HELP_OPTION,
];
