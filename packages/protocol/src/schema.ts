// The coordinator <-> worker IPC protocol: one discriminated union per direction, validated on arrival by both sides.
import { LatencyRecorder, parseSequenceLedgerSnapshot } from '@evbridge/metrics';
import { z } from 'zod';

// Values a worker needs at run time live in values.ts, which loads no zod: the package's main entry (index.ts)
// exports them and this module's types; only `@evbridge/protocol/schema` (this module) builds zod schemas.
import { PACER_KINDS, TRACE_EVENTS_MAX, emptyBridgeCounters, emptyWindowCounters } from './values.js';

const int = z.number().int();
const nonNegInt = int.nonnegative();
const finite = z.number().finite();
/**
 * A monotonic timestamp in integer microseconds on the harness clock: the coordinator's CLOCK_MONOTONIC, which a
 * worker's clock equals once corrected by its row of the clock table (see clockSchema).
 */
const monoUs = nonNegInt;

/**
 * The driver's counters (@evbridge/driver's DriverCounters: absent where the driver cannot see them), with the two the
 * worker counts itself for every driver: handler calls, and own events among them.
 */
export const bridgeCountersSchema = z.object({
  published: nonNegInt,
  publishFailed: nonNegInt,
  received: nonNegInt.optional(),
  selfEchoesFiltered: nonNegInt.optional(),
  /** Events the driver handed the worker (sink.onEvent calls), counted by the worker. */
  deliveredToHandlers: nonNegInt,
  /** Of those, events carrying this instance's own id, counted by the worker. */
  selfReceived: nonNegInt,
  malformed: nonNegInt.optional(),
  /** At-least-once drivers: stream entries the driver found trimmed before it read them (its own count). */
  streamLostEntries: nonNegInt.optional(),
  handlerErrors: nonNegInt.optional(),
  identityCollisions: nonNegInt.optional(),
});

/** Counters of the measured window only (events whose intended send time lies in [measureStartUs, measureEndUs)). */
export const windowCountersSchema = z.object({
  /**
   * Measured events the schedule asked this worker to publish. Each ends in exactly one of: published, refused,
   * publishFailed (or is still in flight when the worker stops).
   */
  scheduled: nonNegInt,
  /** Measured events this worker published (the PUBLISH call returned). */
  published: nonNegInt,
  /** Measured publishes the transport refused before taking a sequence number (the bridge fails fast while not ready). */
  refused: nonNegInt,
  /** Measured publishes rejected after taking a sequence number (Redis error, connection closed mid-flight). */
  publishFailed: nonNegInt,
  /**
   * Every handler call for a measured event at this instance: deliveries, duplicates, its own events that got past
   * the self-filter and events no sender published in this run. Counted apart from the ledger, so the coordinator's
   * amplification (arrivals / published) can disagree with delivery.
   */
  arrivals: nonNegInt,
  /** Distinct measured events received from peers. */
  delivered: nonNegInt,
  duplicates: nonNegInt,
  outOfOrder: nonNegInt,
  /** Measured events of its own that Redis delivered back and the bridge dropped. */
  selfEchoesFiltered: nonNegInt,
  /** Measured events of its own that reached a handler (must stay 0). */
  selfReceived: nonNegInt,
  /** Sum of PUBLISH replies for measured events (subscribers Redis sent each to). */
  redisReportedReceivers: nonNegInt,
  /** Harness events whose payload failed validation. */
  invalidPayloads: nonNegInt,
});

export const resourceSchema = z.object({
  rssBytes: nonNegInt,
  heapUsedBytes: nonNegInt,
  cpuPercent: finite.nonnegative(),
  eventLoopDelayUs: z.object({ p50: finite.nonnegative(), p99: finite.nonnegative(), max: finite.nonnegative() }),
});

/** Reports why `check` throws as a validation issue, so garbage is a named protocol error, not a crash later. */
const checkedBy = (check: (value: never) => unknown, what: string) => (value: unknown, ctx: z.RefinementCtx) => {
  try {
    check(value as never);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `not ${what} (${error instanceof Error ? error.message : String(error)})`,
    });
  }
};

/**
 * An HdrHistogram of integer microseconds, compressed base64 (see @evbridge/metrics LatencyRecorder) on the wire;
 * parsed into the decoded LatencyRecorder, so validating a histogram is decoding it, once.
 */
const encodedHistogram = z.string().transform((encoded, ctx): LatencyRecorder => {
  try {
    return LatencyRecorder.decode(encoded);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `not an encoded HdrHistogram (${error instanceof Error ? error.message : String(error)})`,
    });
    return z.NEVER;
  }
});

/** One sender's received sequence intervals, inclusive, sorted, disjoint (see @evbridge/metrics SequenceLedger). */
const ledgerSnapshotSchema = z.unknown().superRefine(checkedBy(parseSequenceLedgerSnapshot, 'a ledger snapshot'));

/** Seq timeline: measured sequence numbers seqFrom..seqTo were due from intendedFromUs to intendedToUs, evenly spaced. */
const timelineSegmentSchema = z.tuple([nonNegInt, nonNegInt, monoUs, monoUs]);

/** One thing a worker noted for the fault report (see fault-trace.ts), at `atUs` on the harness clock. */
export const traceEventSchema = z.discriminatedUnion('kind', [
  /** The transport changed state: the bridge's lifecycle (`ready`, `reconnecting`, ...). */
  z.object({ kind: z.literal('state'), atUs: monoUs, state: z.string().min(1), previous: z.string().min(1) }),
  /** The first publish that failed after one that did not. */
  z.object({ kind: z.literal('publish-failing'), atUs: monoUs, error: z.string() }),
  /** A run of failed publishes ended: `resumed` when a publish succeeded again, false when publishing stopped. */
  z.object({ kind: z.literal('publish-failures'), atUs: monoUs, failed: int.positive(), resumed: z.boolean() }),
  /** Receiving from `sender` resumed: `missed` sequence numbers skipped, after `silenceUs` without a receipt. */
  z.object({
    kind: z.literal('resumed'),
    atUs: monoUs,
    sender: z.string().min(1),
    seq: nonNegInt,
    intendedUs: monoUs,
    silenceUs: nonNegInt,
    missed: nonNegInt,
  }),
  /** A measured event of `sender` arrived again. */
  z.object({ kind: z.literal('duplicate'), atUs: monoUs, sender: z.string().min(1), seq: nonNegInt }),
]);

/** What a worker noted since its previous message (stats, stopped or final), for the fault report. */
export const traceSchema = z.object({
  events: z.array(traceEventSchema).max(TRACE_EVENTS_MAX),
  /** Events beyond TRACE_EVENTS_MAX in one message, dropped. */
  eventsDropped: nonNegInt,
  /** Segments from index `fromIndex` on (that one may have grown since the previous message). */
  timeline: z.object({ fromIndex: nonNegInt, segments: z.array(timelineSegmentSchema), truncated: z.boolean() }),
  /** First measured sequence number taken, -1 before. */
  firstMeasuredSeq: int,
  /** Highest measured sequence number whose PUBLISH Redis acknowledged, -1 before. */
  lastAckedSeq: int,
});

// ---- worker -> coordinator ----

export const helloSchema = z.object({
  type: z.literal('hello'),
  protocolVersion: int,
  /** process.pid as the worker sees it: 1 inside a PID namespace, the coordinator's pid in a worker thread. */
  pid: int.positive(),
  host: z.string().min(1),
  nodeVersion: z.string(),
  bridgeVersion: z.string(),
  /** worker_threads threadId: 0 for a process's main thread, > 0 in a worker thread (--mode=threads). */
  threadId: nonNegInt.optional(),
  /** The PID namespace the worker runs in, as /proc/self/ns/pid names it (`pid:[4026531836]`); absent off Linux. */
  pidNamespace: z.string().min(1).optional(),
  /** The kernel's boot id (/proc/sys/kernel/random/boot_id): one per boot of one host; absent where /proc lacks it. */
  bootId: z.string().min(1).optional(),
  /** The time namespace (/proc/self/ns/time, `time:[4026531834]`); with bootId it says whether clocks are shared. */
  timeNamespace: z.string().min(1).optional(),
});

export const readySchema = z.object({
  type: z.literal('ready'),
  instanceId: z.string().min(1),
  pid: int.positive(),
  host: z.string().min(1),
  /** The driver's Redis connections by CLIENT SETNAME name (empty when it names none): faults find them by it. */
  connections: z.array(z.object({ role: z.enum(['publisher', 'subscriber', 'shared']), name: z.string().min(1) })),
});

/** `workerUs`: the worker's own monotonic clock (never corrected: the offset is estimated from it). */
export const pongSchema = z.object({ type: z.literal('pong'), seq: nonNegInt, workerUs: monoUs });

export const probedSchema = z.object({
  type: z.literal('probed'),
  /** Instance ids this worker has heard a probe from. */
  heard: z.array(z.string()),
});

export const statsSchema = z.object({
  type: z.literal('stats'),
  atUs: monoUs,
  /**
   * Which interval this closes: the one ending at measureStartUs + interval x statsIntervalMs (0 at the start of
   * measurement, negative in the warm-up). Every worker closes its interval on those boundaries (and sends it later), so their intervals line up.
   */
  interval: int,
  /** Latency-from-intended histogram of measured events received since the previous stats (compressed base64). */
  intervalLatencyUs: encodedHistogram,
  /** Receive time - actual publish call, of the same events. */
  intervalTransitUs: encodedHistogram,
  /** The same two for warm-up events received in the interval (absent when none arrived): the time series only. */
  intervalWarmup: z.object({ latencyUs: encodedHistogram, transitLatencyUs: encodedHistogram }).optional(),
  window: windowCountersSchema,
  /** Missing sequence numbers seen so far (holes below the highest received), all senders. */
  gapsSoFar: nonNegInt,
  bridge: bridgeCountersSchema,
  resources: resourceSchema,
  /** For the fault report: what the worker noted since its previous message (absent from older workers). */
  trace: traceSchema.optional(),
});

export const stoppedSchema = z.object({
  type: z.literal('stopped'),
  /** Sequence numbers of the first and last measured events this worker published; last < first when none. */
  firstMeasuredSeq: int,
  lastMeasuredSeq: int,
  window: windowCountersSchema,
  trace: traceSchema.optional(),
});

export const finalSchema = z.object({
  type: z.literal('final'),
  /** True when every expected event arrived before the drain deadline. */
  drained: z.boolean(),
  window: windowCountersSchema,
  bridge: bridgeCountersSchema,
  /** sender instance id -> received-sequence snapshot. */
  ledger: z.record(z.string(), ledgerSnapshotSchema),
  histograms: z.object({
    latencyUs: encodedHistogram,
    transitLatencyUs: encodedHistogram,
    sendLagUs: encodedHistogram,
    /** Event-loop delays over the measured window, each beyond the sampler's timer period. */
    eventLoopDelayUs: encodedHistogram,
  }),
  resources: resourceSchema.extend({
    peakRssBytes: nonNegInt,
    /** Mean CPU % of one core over the measured window. */
    cpuPercentMean: finite.nonnegative(),
    cpuUserUs: nonNegInt,
    cpuSystemUs: nonNegInt,
  }),
  trace: traceSchema.optional(),
});

export const workerErrorSchema = z.object({
  type: z.literal('error'),
  phase: z.string(),
  message: z.string(),
});

export const workerMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  readySchema,
  pongSchema,
  probedSchema,
  statsSchema,
  stoppedSchema,
  finalSchema,
  workerErrorSchema,
]);

// ---- coordinator -> worker ----

export const configureSchema = z.object({
  type: z.literal('configure'),
  index: nonNegInt,
  /** Carries credentials: it travels over IPC only, never argv, never logs. */
  redisUrl: z.string().min(1),
  /** TLS for a rediss:// redisUrl: the PEM CA the server's certificate is checked against (absent = Node's CAs). */
  redisTls: z.object({ caPem: z.string().min(1) }).optional(),
  namespace: z.string().min(1),
  /** The system under test: a built-in driver's name (`evbridge`, `raw`, ...) or a driver module's file: URL. */
  driver: z.string().min(1),
  /** How the worker paces its publishes (the same for every driver compared). */
  pacer: z.enum(PACER_KINDS),
  /**
   * The instance id scheme: `default` is the driver's own scheme; `pid` is
   * String(process.pid) alone, the original design, kept to show what it does (absent = default).
   */
  identity: z.enum(['default', 'pid']).optional(),
  /** `at-least-once`: the driver's durable mode (--delivery); absent = at-most-once (pub/sub). */
  delivery: z.enum(['at-most-once', 'at-least-once']).optional(),
  rateEventsPerSec: finite.positive(),
  payloadBytes: nonNegInt,
  /** How often to send stats (ms). */
  statsIntervalMs: int.positive(),
});

export const pingSchema = z.object({ type: z.literal('ping'), seq: nonNegInt });

/** One worker's clock as the coordinator knows it: its monotonic clock minus the coordinator's, and how sure. */
export const clockRowSchema = z.object({
  /** Worker clock minus coordinator clock, integer microseconds (0 for a worker that shares the coordinator's clock). */
  offsetUs: int,
  /** The true offset lies within offsetUs +- uncertaintyUs (0 when the clock is shared). */
  uncertaintyUs: nonNegInt,
});

/**
 * The clock table, before `configure` and again whenever a re-estimate during the run moved an offset: row i is
 * worker i's. A worker's harness clock is its monotonic clock minus its own row's offsetUs, the coordinator's clock:
 * every time it takes from then on (schedule, payload, stats, trace) is on it.
 */
export const clockSchema = z.object({
  type: z.literal('clock'),
  /** The receiving worker's index (the one `configure` gives it): its row is offsets[index]. */
  index: nonNegInt,
  offsets: z.array(clockRowSchema),
});

export const probeSchema = z.object({
  type: z.literal('probe'),
  /** Every instance id in the run (the worker's own included). */
  instanceIds: z.array(z.string().min(1)),
  /** Re-publish the probe this often until start. */
  intervalMs: int.positive(),
});

export const startSchema = z.object({
  type: z.literal('start'),
  /** Event 0 is due here; warm-up runs until measureStartUs. */
  t0Us: monoUs,
  measureStartUs: monoUs,
  measureEndUs: monoUs,
});

export const stopSchema = z.object({ type: z.literal('stop') });

export const drainSchema = z.object({
  type: z.literal('drain'),
  /** sender instance id -> last measured seq it published (-1 when none). */
  expectLastSeq: z.record(z.string(), int),
  timeoutMs: int.nonnegative(),
});

export const shutdownSchema = z.object({ type: z.literal('shutdown') });

/** A fault the worker inflicts on itself (--fault): `block` = busy-wait its own event loop for durationMs. */
export const faultSchema = z.object({
  type: z.literal('fault'),
  kind: z.enum(['block']),
  durationMs: int.positive(),
});

export const coordinatorMessageSchema = z.discriminatedUnion('type', [
  configureSchema,
  pingSchema,
  clockSchema,
  probeSchema,
  startSchema,
  stopSchema,
  drainSchema,
  shutdownSchema,
  faultSchema,
]);

export type BridgeCountersMessage = z.infer<typeof bridgeCountersSchema>;
export type WindowCounters = z.infer<typeof windowCountersSchema>;
// values.ts cannot import this module's types without a cycle: check here that its zeros are a WindowCounters.
emptyWindowCounters satisfies () => WindowCounters;
emptyBridgeCounters satisfies () => BridgeCountersMessage;
export type ResourceReport = z.infer<typeof resourceSchema>;
export type TraceEvent = z.infer<typeof traceEventSchema>;
export type TraceMessage = z.infer<typeof traceSchema>;
/** A worker's message as the coordinator holds it once parsed: its histograms decoded (LatencyRecorder). */
export type WorkerMessage = z.output<typeof workerMessageSchema>;
/** A worker's message as the worker sends it: its histograms encoded (string). */
export type SentWorkerMessage = z.input<typeof workerMessageSchema>;
export type CoordinatorMessage = z.infer<typeof coordinatorMessageSchema>;
export type WorkerMessageOf<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;
export type SentWorkerMessageOf<T extends SentWorkerMessage['type']> = Extract<SentWorkerMessage, { type: T }>;
export type CoordinatorMessageOf<T extends CoordinatorMessage['type']> = Extract<CoordinatorMessage, { type: T }>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(message)';
  return `${path}: ${issue.message}`;
}

/** Validates a message that arrived from a worker. Never throws. */
export function parseWorkerMessage(raw: unknown): ParseResult<WorkerMessage> {
  const result = workerMessageSchema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: describe(result.error) };
}

/** Validates a message that arrived from the coordinator. Never throws. */
export function parseCoordinatorMessage(raw: unknown): ParseResult<CoordinatorMessage> {
  const result = coordinatorMessageSchema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: describe(result.error) };
}
