// The run report: the JSON document `--json` writes and every renderer reads. Field names are a public contract.
import type { DriverCapabilities } from '@evbridge/driver';
import type { PacerKind } from '@evbridge/protocol';
import type { FaultKind } from './fault-kinds.js';

/** 3 added `timeSeries` and `matrix`. Readers accept 2 (see `readReport`): it lacks only those two. */
export const REPORT_SCHEMA_VERSION = 3;

/** Latency percentiles, all integer microseconds. */
export interface LatencyUs {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export interface RedisInfo {
  version: string;
  /** The URL with any password removed. */
  url: string;
  /** True when the harness started its own redis-server (or topology) for this run. */
  private: boolean;
  /**
   * `sentinel`: a Sentinel group (url is redis+sentinel://sentinels/masterName); `cluster`: a Redis Cluster (url names
   * its seed nodes). Absent for one redis-server (reports before issue 14 have none).
   */
  topology?: 'sentinel' | 'cluster';
}

/** The driver a run measured, as its definition describes itself. */
export interface DriverInfo {
  /** The definition's name: `evbridge`, `raw`, `socketio`, or a user's. */
  name: string;
  /** The --driver value when it was a module path (absent for a built-in). */
  module?: string;
  description: string;
  /** How its instances name themselves (the ids in the instances table). */
  identityScheme: string;
  capabilities: DriverCapabilities;
}

export interface RunInfo {
  id: string;
  /** `procs`: one OS process per instance; `threads`: worker threads of one process (every row shows the same pid). */
  mode: 'procs' | 'threads';
  /** `pidns`: every worker process ran in its own PID namespace (pid 1 inside, as in a container). */
  isolate: 'none' | 'pidns';
  /** The system under test (--driver): which driver, what it drives, how its instances name themselves. */
  driver: DriverInfo;
  /** How each worker paced its publishes (--pacer), the same whatever the driver. */
  pacer: PacerKind;
  /**
   * --delivery: `at-most-once` (the driver's pub/sub) or `at-least-once` (its durable mode: evbridge's Redis
   * Streams). Absent from reports written before it existed: at-most-once.
   */
  delivery?: 'at-most-once' | 'at-least-once';
  /** Instances in the run, local and remote. */
  procs: number;
  /** Of those, remote workers (--expect-workers) that connected over the control channel; absent when none. */
  remoteWorkers?: number;
  rateEventsPerSec: number;
  durationMs: number;
  warmupMs: number;
  payloadBytes: number;
  /** ISO 8601 wall-clock time when measurement started. */
  startedAt: string;
  /** Channel namespace of this run (unique per run). */
  namespace: string;
  /** The coordinator's Node.js (`process.version`, `v26.12.1`); each instance's own is `InstanceRow.nodeVersion`. */
  nodeVersion: string;
  redis: RedisInfo;
}

export interface Totals {
  /** Measured events the schedule asked for (intended time in the measured window), summed over the workers. */
  scheduled: number;
  /** Of those, published: the PUBLISH call returned. */
  published: number;
  /** Of those, refused before a sequence number was taken (the bridge fails fast while not ready): in no ledger. */
  refused: number;
  /** Of those, rejected after a sequence number was taken: receivers expected them (lost where they never arrived). */
  publishFailed: number;
  /** published / scheduled (1 when nothing was scheduled). */
  publishRatio: number;
  /** Refused or failed publishes outside every fault window (with --fault); refused + publishFailed without faults. */
  unpublishedOutsideFaults: number;
  expectedDeliveries: number;
  delivered: number;
  /**
   * Every handler call for a measured event at every instance, counted by the receivers apart from their ledgers:
   * deliveries, duplicates, own events past the self-filter, events no sender published in this run.
   */
  arrivals: number;
  /** delivered / expectedDeliveries (1 when nothing was expected). */
  deliveryRatio: number;
  /** arrivals / published: N-1 when every event reached each peer once and nothing else arrived. */
  amplification: number;
  /** N - 1 for N instances. */
  expectedAmplification: number;
  selfEchoesFiltered: number;
  selfReceived: number;
  duplicates: number;
  outOfOrder: number;
  lost: number;
  /** Lost deliveries inside some fault's window (the sum of `faults[].lost`; 0 without faults). */
  lostDuringFaults: number;
  /** Lost deliveries outside every fault's window: `lost - lostDuringFaults`. Must be 0 in a run with faults. */
  lostOutsideFaults: number;
  malformed: number;
  /**
   * Stream entries the drivers themselves reported lost before they read them (evbridge: trimmed by MAXLEN, its
   * streamLostEntries), summed over the instances, over the whole run. The driver's own count, shown beside `lost`
   * and never used for it: the ledger counts independently, so the two can disagree. Absent when no driver reports it.
   */
  driverReportedLost?: number;
  /** Sum of the PUBLISH replies (subscribers Redis sent each measured event to, the sender's own included). */
  redisReportedReceivers: number;
  /** What the instances counted for the same events: delivered + selfEchoesFiltered. */
  instancesCountedReceivers: number;
}

export interface ThroughputInfo {
  targetEventsPerSec: number;
  publishedEventsPerSec: number;
  deliveredEventsPerSec: number;
}

export interface InstanceRow {
  index: number;
  /** process.pid as the instance saw it (what a pid-keyed identity uses): 1 in a PID namespace, shared by threads. */
  pid: number;
  /** The same process's pid as the host sees it (differs from `pid` only in a PID namespace). */
  hostPid: number;
  /** worker_threads threadId: 0 for a process's main thread (--mode=procs), > 0 for a worker thread. */
  threadId: number;
  /** The PID namespace the instance ran in (`pid:[4026531836]`), as /proc names it; '' where unknown. */
  pidNamespace: string;
  /** The Node.js the instance ran on (`process.version` in its hello); '' for a worker that never said hello. */
  nodeVersion: string;
  instanceId: string;
  host: string;
  /** See the Totals fields of the same names: this instance's share. */
  scheduled: number;
  published: number;
  refused: number;
  publishFailed: number;
  delivered: number;
  /** Every handler call for a measured event at this instance (see Totals.arrivals). */
  arrivals: number;
  selfEchoesFiltered: number;
  selfReceived: number;
  /** Events this instance should have received (from its peers) and did not. */
  lost: number;
  duplicates: number;
  latencyUs: { p50: number; p99: number; max: number };
  /**
   * Receive time - actual publish call, of the events this instance received (buildReport always sets it).
   * Shows a stall of this instance's own receive path, never its peers' late sending.
   */
  transitLatencyUs?: { p50: number; p99: number; max: number };
  /** Actual publish call - intended time, of the events this instance sent (buildReport always sets it). */
  sendLagUs?: { p50: number; p99: number; max: number };
  /**
   * `shared`: same kernel boot and time namespace as the coordinator, one CLOCK_MONOTONIC (offset exactly 0);
   * `estimated`: another clock, its offset estimated by ping-pong; `unmeasured`: the worker failed before (schema 3
   * reports written before clocks were corrected lack the clock fields but clockOffsetUs and clockRttUs).
   */
  clock?: 'shared' | 'estimated' | 'unmeasured';
  /** Worker clock minus coordinator clock, the offset the worker's harness clock used last (0 when shared). */
  clockOffsetUs: number;
  /** The largest uncertainty (+-) of any offset it used: half the best round trip of that estimate; 0 when shared. */
  clockUncertaintyUs?: number;
  /** Round trip of the quickest ping-pong of the first estimate. */
  clockRttUs: number;
  /** What the first estimate measured, whatever the kind (for a shared clock: the estimator's error, near 0). */
  clockMeasuredOffsetUs?: number;
  /** The largest change a re-estimate during the run saw against the offset in use (0 without re-estimates). */
  clockDriftUs?: number;
  /** This instance's clock error bound: clockUncertaintyUs + clockDriftUs. */
  clockErrorBoundUs?: number;
  /** The re-estimates during the measured window, in time order (estimated clocks only). */
  clockReestimates?: Array<{ atMs: number; offsetUs: number; uncertaintyUs: number; applied: boolean }>;
  rssBytes: number;
  cpuPercent: number;
  eventLoopDelayUs: { p99: number };
  /** Worker CPU (user + system) over the measured window, microseconds. */
  cpuUs: number;
  /** IPC messages the worker sent per second while the run published (warm-up and measured window). */
  ipcMessagesPerSec: number;
  /** How the worker ended: null while it ran to the end normally. */
  exit: WorkerExitInfo | null;
}

export interface WorkerExitInfo {
  exitCode: number | null;
  signal: string | null;
  reason: string;
}

/** One exact loss: events seqFrom..seqTo (inclusive) of `sender` never reached `receiver`. */
export interface LostRange {
  sender: number;
  receiver: number;
  seqFrom: number;
  seqTo: number;
  count: number;
}

/**
 * What a fault hit: one worker process, named (chosen by --fault-target, or at random from `seed`, which
 * --fault-seed replays), or the run's Redis.
 */
export type FaultTarget =
  | { type: 'worker'; index: number; pid: number; instanceId: string; chosenBy: 'option' | 'seed'; seed: number | null }
  | { type: 'redis' /** Without any password. */; url: string };

/** A worker noticed a fault: its bridge left `ready`, or a publish failed. */
export interface FaultNotice {
  worker: number;
  /** When, ms after measurement started. */
  atMs: number;
  /** How long after the injection. */
  afterMs: number;
  /** `state ready -> reconnecting`, or `publish failed: <error>`. */
  how: string;
}

/** A worker's driver changed state during a fault's window (its lifecycle). */
export interface FaultStateChange {
  worker: number;
  atMs: number;
  previous: string;
  state: string;
}

/** A fault injected on purpose (--fault). Times are whole milliseconds after measurement started. */
export interface FaultRecord {
  kind: FaultKind;
  target: FaultTarget;
  /** When it was planned. */
  atMs: number;
  /** How long it was asked to last (0 for an instant fault). */
  durationMs: number;
  /** When the coordinator injected it; null when it never was. */
  injectedAtMs: number | null;
  /** When the injection was over (the worker continued, Redis answered again, the kill returned); null when never injected. */
  endedAtMs: number | null;
  /** `not-reached`: the run ended before its time; `failed`: see error. */
  status: 'injected' | 'failed' | 'not-reached';
  error: string | null;
  /** What the injection saw, one line (what it killed, how long Redis was down); null when not injected. */
  detail: string | null;
  /** The first sign of the fault at each worker that noticed it, in time order (a worker that noticed nothing is absent). */
  noticed: FaultNotice[];
  /** State changes of every worker within the fault's window, in time order (at most 64). */
  stateChanges: FaultStateChange[];
  /**
   * From the injection until every surviving instance received again from every other surviving one: the latest
   * end of an interruption of a (sender, receiver) pair this fault caused; 0 when it interrupted no pair; null
   * when some pair never received again (see `recovered`) or the fault was not injected.
   */
  recoveryMs: number | null;
  /** False when some surviving receiver never again got an event its sender meant to send after the injection. */
  recovered: boolean;
  /** The pair that took longest to recover (worker indexes), null when none was interrupted. */
  slowestPair: { sender: number; receiver: number } | null;
  /**
   * The losses and duplicates this fault owns: events intended from `fromMs` (250 ms before the injection: events
   * still in flight then) to `toMs` (the later of the fault's end and its recovery; the end of the run when it never
   * recovered). Null when not injected.
   */
  window: { fromMs: number; toMs: number } | null;
  /** Lost deliveries whose events were intended inside the window (each lost delivery belongs to one fault at most). */
  lost: number;
  /** Exactly which: the parts of `lostRanges` inside the window. */
  lostRanges: LostRange[];
  /** Events received twice inside the window (by receive time). */
  duplicates: number;
  /** Publishes that failed in runs of failures starting inside the window (the bridge fails fast while not ready). */
  publishFailed: number;
  /** Whether the losses and duplicates are what Redis's pub/sub semantics allow after this kind of fault, and why. */
  verdict: { allowed: boolean; explanation: string };
}

export interface ThresholdResult {
  expression: string;
  actual: number | null;
  passed: boolean;
}

export interface ReportProblem {
  /** Worker index, when the problem concerns one worker. */
  worker?: number;
  pid?: number;
  message: string;
}

/** Instance ids, and what sharing one did. */
export interface IdentityInfo {
  /** `default`: host:pid:nonce; `pid`: process.pid alone (--identity=pid). */
  scheme: 'default' | 'pid';
  /** Ids more than one instance reported before measuring (a run gets this far only with --allow-collisions). */
  collisions: Array<{ instanceId: string; workers: number[] }>;
  /** Peers' measured events the instances' self-filters dropped as their own echoes (self echoes beyond their own). */
  peerEventsDroppedAsOwn: number;
  /** Instances whose bridge noticed at run time that another bridge publishes under its id (its 'collision' event). */
  bridgesReportingCollision: number[];
}

/**
 * Per-interval figures, columnar (one array per field, all as long as `tMs`), as charts read them. Counts are what
 * happened inside the interval; latency figures come from the interval's merged histograms (never averaged).
 * A null is an interval with no data: nothing received (latency), or no stats from that instance (everything).
 */
export interface TimeSeries {
  /** Each interval's end, ms after measurement started (negative in the warm-up): the interval is [tMs - intervalMs, tMs). */
  tMs: number[];
  /** PUBLISH calls that returned, warm-up and measured events alike (the driver's counter). */
  published: Array<number | null>;
  /** Handler calls for peers' events (the driver's counter), by receive time. */
  delivered: Array<number | null>;
  /** Measured deliveries never received whose events were intended inside the interval (exact, from the ledgers). */
  lost: Array<number | null>;
  /** Measured events the driver refused before taking a sequence number (fails fast while not ready). */
  refused: Array<number | null>;
  /** Publishes rejected after a sequence number was taken, warm-up and measured (the driver's counter). */
  publishFailed: Array<number | null>;
  /** Latency from the intended send time of the events received in the interval (warm-up and measured). */
  latencyP50Us: Array<number | null>;
  latencyP99Us: Array<number | null>;
  latencyMaxUs: Array<number | null>;
  /** Receive time - actual publish call, 99th percentile, of the events received in the interval. */
  transitP99Us: Array<number | null>;
  /** Resident set size at the interval's end (the fleet: summed over instances). */
  rssBytes: Array<number | null>;
  /** CPU (user + system) over the interval, % of one core (the fleet: summed, so it may exceed 100). */
  cpuPercent: Array<number | null>;
  /** Event-loop delay in the interval, 99th percentile (the fleet: the worst instance's). */
  eventLoopDelayP99Us: Array<number | null>;
}

/** A stretch of the run, ms after measurement started. */
export interface Span {
  fromMs: number;
  toMs: number;
}

/** The run second by second (report schema 3). */
export interface ReportTimeSeries {
  /** The interval's length (1,000 ms: each worker closes its interval on those boundaries, counted from the start of measurement). */
  intervalMs: number;
  /** Where the warm-up and the measured window lie on the series' time axis; each injected fault's span. */
  marks: {
    warmup: Span;
    measured: Span;
    /** In plan order, one per injected fault: from the injection to the later of its end and its recovery. */
    faults: Array<Span & { kind: FaultKind; index: number }>;
  };
  fleet: TimeSeries;
  /** One per instance, in `instances` order, on the fleet's time axis. */
  instances: TimeSeries[];
}

/**
 * Deliveries of measured events between every pair of instances: row = sender, column = receiver (worker indexes);
 * null on the diagonal (an instance does not deliver to itself). `delivered` is counted by the receivers' ledgers,
 * `lost` from the lost ranges: they sum to what the receiver expected from the sender.
 */
export interface DeliveryMatrix {
  delivered: Array<Array<number | null>>;
  lost: Array<Array<number | null>>;
}

/** Why the control channel closed a connection before it was a worker of the run. */
export type ControlRefusal = 'badProof' | 'garbage' | 'oversize' | 'slow' | 'overLimit' | 'surplus';

/** The remote workers' control channel (--listen): where it listened, who came, and what it refused. */
export interface ControlInfo {
  /** The address it listened on, as bound: ws://127.0.0.1:7400 (wss:// with --tls-cert). */
  listen: string;
  workersExpected: number;
  workersArrived: number;
  /** Connections closed, by reason (each counted once); the run went on without them. */
  refused: Record<ControlRefusal, number>;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  passed: boolean;
  /** 'complete', or why the run ended early (the figures then cover what was measured). */
  outcome: 'complete' | 'interrupted' | 'failed';
  run: RunInfo;
  /** The control channel, in a run with remote workers (--listen); absent otherwise. */
  control?: ControlInfo;
  totals: Totals;
  /**
   * From the intended send time (includes pacing delay: coordinated-omission safe). `clockErrorBoundUs`: how far
   * any one latency (and transit latency) can be off because sender and receiver clocks differ: the largest sum of
   * two distinct instances' clock error bounds (0 when every clock is shared; absent from older reports).
   */
  latencyUs: LatencyUs & { clockErrorBoundUs?: number };
  /** From the actual publish call (bridge + Redis only). */
  transitLatencyUs: Pick<LatencyUs, 'p50' | 'p99' | 'p999' | 'max'>;
  /** Actual publish call - intended send time (the pacer's own lateness). */
  sendLagUs: Pick<LatencyUs, 'p50' | 'p99' | 'max'>;
  /** Every instance's event-loop delays over the measured window, merged (each worker's timer ticks, its period off). */
  eventLoopDelayUs: Pick<LatencyUs, 'p50' | 'p99' | 'max'>;
  throughput: ThroughputInfo;
  /** Instance ids and collisions (buildReport always sets it). */
  identity?: IdentityInfo;
  instances: InstanceRow[];
  lostRanges: LostRange[];
  /** Faults injected on purpose, in plan order (buildReport always sets it; [] when none). */
  faults?: FaultRecord[];
  thresholds: ThresholdResult[];
  problems: ReportProblem[];
  /** The run second by second: fleet and instances, warm-up, window and faults marked (schema 3). */
  timeSeries: ReportTimeSeries;
  /** Sender x receiver deliveries and losses (schema 3). */
  matrix: DeliveryMatrix;
  /** Encoded HdrHistograms (compressed base64) for tools that want the full distribution. */
  histograms: { latencyUs: string; transitLatencyUs: string; sendLagUs: string; eventLoopDelayUs: string };
}
