// The validated options of one harness run, as parseCliArgs hands them to the orchestration.

import type { ThresholdSpec } from './threshold-spec.js';
import type { LogLevel } from './log-level.js';
import type { DeliveryName, IdentityName, IsolationName, ModeName, PacerName, TopologyName } from './option-names.js';
import type { FaultSpec } from './fault-spec.js';
import type { Slo } from './slo.js';

export interface HarnessOptions {
  /**
   * Instances in the run, 2..256: the worker processes this coordinator starts (localWorkerCount) plus the remote
   * workers it expects (expectWorkers). Everything downstream (rate per worker, thresholds, report) counts them all.
   */
  procs: number;
  /** --listen: where remote workers connect to the control channel; absent = no remote workers. */
  listen?: ListenAddress;
  /** --expect-workers: remote workers the run waits for (indices after the local ones, in arrival order); absent = 0. */
  expectWorkers?: number;
  /** --arrival-timeout: how long the remote workers have to connect and authenticate, whole milliseconds > 0. */
  arrivalTimeoutMs?: number;
  /** --token-file: the control channel's token file; absent = EVBRIDGE_TOKEN, else a new one (see control-token-source). */
  tokenFile?: string;
  /** --tls-cert and --tls-key: PEM files to serve wss:// with; absent = ws:// (no TLS). */
  tls?: { certFile: string; keyFile: string };
  /** --redis-bind: the address the private redis-server listens on; absent = 127.0.0.1. */
  redisBind?: string;
  /** Total target rate across all workers; each worker publishes rateEventsPerSec / procs. */
  rateEventsPerSec: number;
  /** Measured phase, whole milliseconds > 0. */
  durationMs: number;
  /** Unmeasured warmup before the measured phase, whole milliseconds >= 0. */
  warmupMs: number;
  /** Payload bytes per event, 0..1 MiB. */
  payloadBytes: number;
  /** A validated redis://, rediss://, redis+sentinel:// or redis+cluster:// URL (may hold a password: never log it, use redactRedisUrl); undefined = none given. */
  redisUrl: string | undefined;
  /**
   * What Redis the run uses (--topology, or implied by a redis+sentinel:// / redis+cluster:// redisUrl): with no
   * redisUrl the harness starts it privately. Absent = standalone.
   */
  topology?: TopologyName;
  /** Where redisUrl came from: --redis, the REDIS_URL environment variable, or nowhere. */
  redisUrlSource: 'option' | 'env' | undefined;
  /** Where to write the JSON report; undefined = do not write one. */
  jsonPath: string | undefined;
  /** --dashboard: the loopback port to serve the live page on (0: any free one); undefined = no dashboard. */
  dashboardPort?: number | undefined;
  /** --junit: where to write the verdict as JUnit XML; undefined = nowhere. */
  junitPath?: string | undefined;
  /** --html: where to write the report as one self-contained HTML page; undefined = nowhere. */
  htmlPath?: string | undefined;
  /** --summary-md: where to write the Markdown summary; undefined = nowhere. */
  summaryMdPath?: string | undefined;
  /** $GITHUB_STEP_SUMMARY: the file to append the Markdown summary to (GitHub Actions); undefined = none (unset or empty). */
  stepSummaryPath?: string | undefined;
  /**
   * The thresholds to judge, already resolved: the defaults for `procs` plus every --threshold, a user
   * threshold replacing the default on the same metric (see resolveThresholds). Pass as is to evaluateThresholds.
   */
  thresholds: ThresholdSpec[];
  logLevel: LogLevel;
  /**
   * The system under test (--driver): a built-in driver's name (`evbridge`, `raw`, `node-redis`, `socketio`,
   * `socketio-streams`) or a path to a driver module, as given.
   */
  driver: string;
  /** How each worker paces its publishes, the same for every driver. Absent = open-loop. */
  pacer?: PacerName;
  /** `procs`: one OS process per instance; `threads`: worker threads of one process (piscina). Absent = procs. */
  mode?: ModeName;
  /** `pidns`: every worker process in its own PID namespace (pid 1, as in a container). Absent = none. */
  isolate?: IsolationName;
  /** `pid`: instance id = process.pid alone (collides in threads and containers). Absent = default (host:pid:nonce). */
  identity?: IdentityName;
  /**
   * `at-least-once`: the driver's durable mode (a driver with capabilities.atLeastOnce), and the private
   * redis-server persists (appendonly yes, appendfsync everysec). Absent = at-most-once (pub/sub).
   */
  delivery?: DeliveryName;
  /** Run even when instances share an instance id (to show the consequence); absent = stop with exit 2. */
  allowCollisions?: boolean;
  /** Set by --compare-modes: run procs then threads with these options and report both side by side. */
  compareModes?: boolean;
  /** Set by --conformance: run the driver conformance kit instead of a measured run. */
  conformance?: boolean;
  /** After the last publish, how long to wait for in-flight events, whole milliseconds > 0. */
  drainTimeoutMs: number;
  /** How long every worker has to report ready, whole milliseconds > 0. */
  readyTimeoutMs: number;
  /** A worker silent (no stats) this long while measuring is hung; absent = HARNESS_DEFAULTS.statsTimeoutMs. */
  statsTimeoutMs?: number;
  /** PEM CA file to verify a rediss:// Redis with (--redis-ca or REDIS_CA_FILE); absent = Node's CAs. */
  redisCaFile?: string;
  /** Faults to inject on purpose (--fault, repeatable), in command-line order, each inside the measured window; absent = none. */
  faults?: FaultSpec[];
  /**
   * Index (< procs) of the worker that worker faults hit: --fault-target, or picked by `faultSeed` (see
   * chooseFaultTarget); absent without worker faults.
   */
  faultTarget?: number;
  /** The seed that picked faultTarget (--fault-seed, else random); absent when --fault-target named it. */
  faultSeed?: number;
  /**
   * Set by --find-max: search the highest total rate that holds `slo` instead of one run at rateEventsPerSec
   * (then the starting rate); durationMs, warmupMs and thresholds are not used. Absent for a plain run.
   */
  findMax?: FindMaxSettings;
}

/** --listen HOST:PORT, parsed (port 0: any free port, the bound one is logged and reported). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** How many of the run's instances this coordinator starts itself (the others are remote workers). */
export function localWorkerCount(options: Pick<HarnessOptions, 'procs' | 'expectWorkers'>): number {
  return options.procs - (options.expectWorkers ?? 0);
}

/** How --find-max searches (see apps/coordinator/src/find-max). */
export interface FindMaxSettings {
  slo: Slo;
  /** Measured length of each step, whole milliseconds > 0. */
  stepDurationMs: number;
  /** Unmeasured warmup before each step, whole milliseconds >= 0. */
  stepWarmupMs: number;
  /** Steps measured at most, >= 1. */
  maxSteps: number;
}
