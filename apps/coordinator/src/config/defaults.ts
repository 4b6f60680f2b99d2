// Every harness option's default, in one place. Options without a default here are absent unless given.

import type { HarnessOptions } from './harness-options.js';
import { DEFAULT_SLO } from './slo.js';

export const HARNESS_DEFAULTS = {
  /** Worker processes to fork, one bridge instance each (--procs, 1..256). */
  procs: 5,
  /** The port a bare --dashboard serves on (k6's web dashboard's, which users of load tools know). */
  dashboardPort: 5665,
  /** Total events per second across all workers; each worker publishes rate / procs (--rate). */
  rateEventsPerSec: 1_000,
  /** Length of the measured phase (--duration). */
  durationMs: 30_000,
  /** Unmeasured traffic before measuring, to warm connections and JIT (--warmup; may be 0s). */
  warmupMs: 5_000,
  /** Payload bytes per event, on top of the harness's own fields (--payload, 0..1 MiB). */
  payloadBytes: 256,
  /** Coordinator and worker log level (--log-level). */
  logLevel: 'info',
  /** The system under test (--driver): @evbridge/bridge. */
  driver: 'evbridge',
  /** How each worker paces its publishes, whatever the driver (--pacer): the same for every system compared. */
  pacer: 'open-loop',
  /** How the instances run: one OS process each (--mode). */
  mode: 'procs',
  /** Worker processes share the host's PID namespace (--isolate). */
  isolate: 'none',
  /** The collision-proof instance id, host:pid:nonce (--identity). */
  identity: 'default',
  /** Pub/sub, at most once: what every driver does (--delivery). */
  delivery: 'at-most-once',
  /** After the last publish, how long to wait for in-flight events before counting what is missing (--drain-timeout). */
  drainTimeoutMs: 5_000,
  /** How long every worker has to connect and confirm its subscription (--ready-timeout). */
  readyTimeoutMs: 15_000,
  /** How long a worker may send no stats (one a second while it runs) before it is declared hung (--stats-timeout). */
  statsTimeoutMs: 5_000,
  /** The worker index that worker faults such as block-worker hit (--fault-target). */
  faultTarget: 0,
  /** How long remote workers have to connect and authenticate (--arrival-timeout): time to start them by hand. */
  arrivalTimeoutMs: 120_000,
  /** Where the private redis-server listens (--redis-bind): this host only. */
  redisBind: '127.0.0.1',
} as const satisfies Partial<HarnessOptions>;

/** The private Sentinel group of --topology=sentinel (redis/private-sentinel.ts). */
export const SENTINEL_DEFAULTS = {
  /** The name the sentinels give the master (the path of the redis+sentinel:// URL). */
  masterName: 'evbridge',
  /** Sentinels that must agree the master is down before one of them fails it over (of three). */
  quorum: 2,
  /**
   * How long the master must not answer before a sentinel thinks it down: the larger part of a kill-master outage.
   * 1 s notices a dead master quickly, and is still some 100 times a loopback PING on a busy machine (no flapping).
   */
  downAfterMs: 1_000,
  /**
   * A failover not finished in this long is abandoned, and a sentinel tries again after twice this long (after a
   * split vote, say): short, since on loopback a promotion takes milliseconds.
   */
  failoverTimeoutMs: 3_000,
} as const;

/** The private Cluster of --topology=cluster (redis/private-cluster.ts). */
export const CLUSTER_DEFAULTS = {
  /**
   * cluster-node-timeout: how long a master may not answer before the others mark it failed and its replica takes
   * over. Redis's default is 15 s; 1 s fails a SIGKILLed master over in about 2 s on loopback.
   */
  nodeTimeoutMs: 1_000,
} as const;

/** Clocks across hosts (run/clock-offset.ts, run/clock-reestimate.ts). */
export const CLOCK_DEFAULTS = {
  /**
   * How often, during the measured window, the coordinator re-estimates each estimated worker clock (hosts' clocks
   * drift apart by up to some 100 ppm: 30 s lets them part by at most ~3 ms before the table follows).
   */
  reestimateEveryMs: 30_000,
  /** Ping-pongs per worker per re-estimate (the first discarded): a few ms of IPC every 30 s, next to nothing. */
  reestimateRounds: 9,
} as const;

/** The remote workers' control channel (--listen): what an unauthenticated peer may do, and the heartbeat. */
export const CONTROL_LIMITS = {
  /** A connection must authenticate (and its worker say hello) this soon after it is accepted, or it is closed. */
  preAuthMs: 5_000,
  /** Bytes a connection may send before it authenticated (its HTTP upgrade and handshake frames are < 1 KiB). */
  preAuthBytes: 8_192,
  /** Unauthenticated connections open at once; one more is closed at once (a flood cannot starve the run). */
  unauthenticatedMax: 64,
  /**
   * Largest frame from an authenticated worker: its final message carries its histograms and delivery ledger
   * (a few MB with 256 peers), far below this.
   */
  maxPayloadBytes: 256 * 1024 * 1024,
  /** The coordinator pings every remote worker this often (WebSocket ping; the worker's ws answers pong). */
  heartbeatMs: 1_000,
  /** Shortest silence (no pong; for the worker, no ping) taken for a worker or coordinator gone. */
  silenceMinMs: 30_000,
  /** After the kill order, how long a remote worker has to end itself before its connection is cut. */
  killGraceMs: 2_000,
} as const;

/** --find-max: the search for the highest total rate that holds an SLO (apps/coordinator/src/find-max). */
export const FIND_MAX_DEFAULTS = {
  /** What each step must hold: delivery 100%, p99 < 10 ms (--slo-p99), publish >= 97% of target (--slo-publish). */
  slo: DEFAULT_SLO,
  /** Measured length of each step (--step-duration). */
  stepDurationMs: 5_000,
  /** Unmeasured traffic before each step is measured (--step-warmup). */
  stepWarmupMs: 2_000,
  /** Steps measured at most; the search answers with what it has when they are spent (--max-steps). */
  maxSteps: 16,
  /** Bisection stops once lowest fail - highest pass <= 5% of the highest pass. */
  tolerance: 0.05,
  /** When even the start rate fails, halving stops below this many events/s per process. */
  minRatePerProcEventsPerSec: 1,
} as const;

/** Bounds the option validators enforce. */
export const HARNESS_LIMITS = {
  /** One instance has no peer: nothing would be delivered, and delivery, amplification and self-receive judge nothing. */
  procsMin: 2,
  procsMax: 256,
  payloadBytesMax: 1_048_576,
  /** Timers above 2^31-1 ms overflow in Node and fire at once; 24h keeps every duration far below. */
  durationMsMax: 24 * 3_600_000,
  /** --max-steps: a search longer than this is a mistake, not a measurement. */
  findMaxStepsMax: 100,
  /** --stats-timeout: at least two missed stats (one a second), so one late message is never a hang. */
  statsTimeoutMsMin: 2_000,
} as const;

/** The environment variable read when --redis is not given. */
export const REDIS_URL_ENV = 'REDIS_URL';

/** The environment variable naming a CA file (PEM) when --redis-ca is not given. */
export const REDIS_CA_FILE_ENV = 'REDIS_CA_FILE';

/** The environment variable GitHub Actions sets to the step's summary file: a run appends its Markdown summary there. */
export const STEP_SUMMARY_ENV = 'GITHUB_STEP_SUMMARY';
