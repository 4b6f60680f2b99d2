// One worker's life: configure a driver (the system under test), prove readiness, publish on schedule, measure,
// drain, report.
import { LatencyRecorder, ResourceSampler } from '@evbridge/metrics';
import type { Logger } from 'pino';
import {
  statsSendFraction,
  type CoordinatorMessage,
  type BridgeCountersMessage,
  type CoordinatorMessageOf,
  type SentWorkerMessage,
  type SentWorkerMessageOf,
} from '@evbridge/protocol';
import { MEASURE_EVENT, PROBE_EVENT, isMeasurePayload, isProbePayload, paddingFor } from './harness-event.js';
import { blockEventLoop } from './faults.js';
import { type ClosedInterval, Measurement } from './measurement.js';
import { createPacer } from './create-pacer.js';
import { phaseOffsetUs } from './schedule-phase.js';
import type { Pacer } from './pacer.js';
import type { Driver, DriverSink } from '@evbridge/driver';
import { type CreateDriver, createDriver } from './driver/create-driver.js';
import { waitFor } from './wait-for.js';
import { HarnessClock } from './harness-clock.js';

export type Send = (message: SentWorkerMessage) => Promise<void>;

/** A stats message as captured at its interval's boundary, before its histograms are encoded. */
type PendingStats = Omit<SentWorkerMessageOf<'stats'>, 'intervalLatencyUs' | 'intervalTransitUs' | 'intervalWarmup'>;

type Phase = 'hello' | 'configured' | 'ready' | 'probing' | 'running' | 'stopped' | 'drained' | 'closed';

/** Longest a stop waits for publishes still in flight. */
const FLUSH_TIMEOUT_MS = 5000;
/** Longest a stop waits for the pacer to emit the events due before the window's end. */
const PACER_FINISH_GRACE_MS = 100;

/** Resolves when `promise` settles or after `ms`, whichever is first; leaves no timer behind. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise.then(noop, noop), timeout]).finally(() => clearTimeout(timer));
}

const noop = (): void => {};

export class WorkerSession {
  #phase: Phase = 'hello';
  #driver: Driver | undefined;
  #config: CoordinatorMessageOf<'configure'> | undefined;
  readonly #measurement: Measurement;
  /** Samples once a second for stats, and over the measured window (begun at measureStartUs, read at the end). */
  readonly #sampler = new ResourceSampler();
  #pacer: Pacer | undefined;
  #statsTimer: NodeJS.Timeout | undefined;
  /** An interval closed at its boundary, waiting for its turn to be encoded and sent (see #scheduleStats). */
  #pendingStats: { stats: PendingStats; closed: ClosedInterval; timer: NodeJS.Timeout } | undefined;
  #probeTimer: NodeJS.Timeout | undefined;
  #heard = new Set<string>();
  #probePeers: string[] = [];
  #probedSent = false;
  #inFlight = 0;
  #padding = '';
  /** This instance's id (the driver's), set once connected: the one "is this my own event?" compares against. */
  #ownId: string | undefined;
  /** Handler calls the driver made, and those that carried this instance's own id: counted here for every driver. */
  #handlerCalls = 0;
  #ownHandlerCalls = 0;
  /** The worker index the clock tables so far were for (before configure names it). */
  #clockIndex: number | undefined;

  constructor(
    readonly send: Send,
    readonly logger: Logger,
    readonly makeDriver: CreateDriver = createDriver,
    /** The harness clock: the worker's monotonic clock corrected by the coordinator's clock table. */
    readonly clock: HarnessClock = new HarnessClock(),
  ) {
    this.#measurement = new Measurement(clock.now);
  }

  get phase(): Phase {
    return this.#phase;
  }

  async handle(message: CoordinatorMessage): Promise<void> {
    switch (message.type) {
      case 'configure':
        return this.#configure(message);
      case 'ping':
        // The raw clock: the coordinator estimates this worker's offset from it.
        return this.send({ type: 'pong', seq: message.seq, workerUs: this.clock.raw() });
      case 'clock':
        return this.#clock(message);
      case 'probe':
        return this.#probe(message);
      case 'start':
        return this.#start(message);
      case 'stop':
        return this.#stop();
      case 'drain':
        return this.#drain(message);
      case 'shutdown':
        return this.close();
      case 'fault':
        return this.#fault(message);
    }
  }

  #expect(phases: Phase[], what: string): void {
    if (!phases.includes(this.#phase)) throw new Error(`unexpected "${what}" in phase ${this.#phase}`);
  }

  /** The clock table: from now on every time this worker takes is on the coordinator's clock (see HarnessClock). */
  async #clock(message: CoordinatorMessageOf<'clock'>): Promise<void> {
    const index = this.#config?.index ?? this.#clockIndex;
    if (index !== undefined && index !== message.index)
      throw new Error(`a clock table for worker ${message.index} reached worker ${index}`);
    this.#clockIndex = message.index;
    const before = this.clock.offsetUs;
    this.clock.apply(message);
    if (this.clock.offsetUs !== before)
      this.logger.debug(
        {
          offsetUs: this.clock.offsetUs,
          uncertaintyUs: this.clock.uncertaintyUs,
          stepUs: before - this.clock.offsetUs,
        },
        'harness clock corrected',
      );
  }

  async #configure(config: CoordinatorMessageOf<'configure'>): Promise<void> {
    this.#expect(['hello'], 'configure');
    if (this.#clockIndex !== undefined && this.#clockIndex !== config.index)
      throw new Error(`configured as worker ${config.index} after a clock table for worker ${this.#clockIndex}`);
    this.#config = config;
    this.#phase = 'configured';
    this.#padding = paddingFor(config.payloadBytes);
    const driver = await this.makeDriver(config, this.#sink, this.logger);
    this.#driver = driver;
    // Known before connecting for most drivers; a library may make its id while connecting (socket.io's adapter uid).
    this.#ownId = driver.instanceId || undefined;
    await driver.connect();
    this.#ownId = driver.instanceId;
    if (typeof this.#ownId !== 'string' || this.#ownId === '') {
      throw new Error(`driver ${config.driver} has no instanceId after connect() resolved (see docs/drivers.md)`);
    }
    this.#phase = 'ready';
    this.#sampler.start();
    await this.send({
      type: 'ready',
      instanceId: driver.instanceId,
      pid: process.pid,
      host: driver.host,
      connections: driver.connections?.() ?? [],
    });
  }

  readonly #sink: DriverSink = {
    onEvent: (type, data, source, seq) => {
      // "Is this my own event?" is decided here, once, for every driver: by the source the event carries against
      // this instance's id, whatever the driver's self-filter did.
      const own = source === this.#ownId;
      this.#handlerCalls += 1;
      if (own) this.#ownHandlerCalls += 1;
      if (type === MEASURE_EVENT) this.#onMeasure(data, source, seq, own);
      else if (type === PROBE_EVENT && isProbePayload(data)) {
        this.#heard.add(data.from);
        this.#checkProbed();
      }
    },
    /** Own measured events Redis delivered back (dropped by the self-filter). */
    onSelfEcho: (type, data) => {
      if (type === MEASURE_EVENT && isMeasurePayload(data) && this.#measurement.inWindow(data.i)) {
        this.#measurement.window.selfEchoesFiltered += 1;
      }
    },
    onState: (state, previous) => this.#measurement.trace.state(this.clock.now(), state, previous),
  };

  #onMeasure(data: unknown, source: string, seq: number, own: boolean): void {
    const nowUs = this.clock.now();
    const measurement = this.#measurement;
    if (!isMeasurePayload(data)) {
      measurement.window.invalidPayloads += 1;
      return;
    }
    if (!measurement.inWindow(data.i)) {
      if (!own) measurement.onWarmupReceived(data, nowUs);
      return;
    }
    measurement.window.arrivals += 1;
    if (own) {
      // Our own event got past the self-filter (the failure evbridge exists to catch): count it, never as a delivery.
      measurement.window.selfReceived += 1;
      return;
    }
    measurement.onReceived(source, seq, data, nowUs);
  }

  async #probe(message: CoordinatorMessageOf<'probe'>): Promise<void> {
    this.#expect(['ready'], 'probe');
    this.#phase = 'probing';
    const driver = this.#requireDriver();
    this.#probePeers = message.instanceIds.filter((id) => id !== driver.instanceId);
    const publishProbe = (): void => {
      driver.publish(PROBE_EVENT, { from: driver.instanceId }).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'probe publish failed');
      });
    };
    publishProbe();
    this.#probeTimer = setInterval(publishProbe, message.intervalMs);
    this.#checkProbed();
  }

  #checkProbed(): void {
    if (this.#phase !== 'probing' || this.#probedSent) return;
    if (!this.#probePeers.every((peer) => this.#heard.has(peer))) return;
    this.#probedSent = true;
    void this.send({ type: 'probed', heard: [...this.#heard] });
  }

  async #start(message: CoordinatorMessageOf<'start'>): Promise<void> {
    this.#expect(['probing'], 'start');
    clearInterval(this.#probeTimer);
    const config = this.#requireConfig();
    const driver = this.#requireDriver();
    this.#phase = 'running';
    this.#measurement.setWindow({ startUs: message.measureStartUs, endUs: message.measureEndUs });
    const measurement = this.#measurement;
    const window = measurement.window;
    const trace = measurement.trace;
    trace.setSenderRate(config.rateEventsPerSec);
    const padding = this.#padding;
    this.#pacer = createPacer(config.pacer, {
      now: this.clock.now,
      rateEventsPerSec: config.rateEventsPerSec,
      // Spread over the interval: N workers do not all publish at the same instant (see schedule-phase.ts).
      t0Us: message.t0Us + phaseOffsetUs(config.index, config.rateEventsPerSec),
      endUs: message.measureEndUs,
      onDue: (_index, intendedUs) => {
        const sentUs = this.clock.now();
        const measured = measurement.inWindow(intendedUs);
        const seq = driver.nextSeq;
        this.#inFlight += 1;
        const publishing = driver.publish(MEASURE_EVENT, { i: intendedUs, s: sentUs, p: padding });
        // A publish refused before it took a sequence number (the bridge fails fast while not ready) is in no ledger.
        const taken = driver.nextSeq !== seq;
        if (measured) {
          window.scheduled += 1;
          measurement.onPublishing(taken ? seq : null, intendedUs, sentUs);
        }
        publishing.then(
          (receivers) => {
            this.#inFlight -= 1;
            trace.publishSucceeded();
            if (!measured) return;
            window.published += 1;
            if (receivers !== undefined) window.redisReportedReceivers += receivers;
            if (taken) trace.acked(seq);
          },
          (error: unknown) => {
            this.#inFlight -= 1;
            if (measured) {
              if (taken) window.publishFailed += 1;
              else window.refused += 1;
            }
            // Once per run of failures (a reconnect fails every publish for a while): the trace counts them all.
            if (trace.publishFailed(error))
              this.logger.warn(
                { err: error },
                'publish failed (further failures until one succeeds are counted, not logged)',
              );
          },
        );
      },
    });
    this.#pacer.start();
    const untilMeasureMs = Math.max(0, (message.measureStartUs - this.clock.now()) / 1000);
    setTimeout(() => {
      if (this.#phase === 'running') this.#sampler.beginWindow();
    }, untilMeasureMs).unref();
    this.#scheduleStats(message.measureStartUs, config.statsIntervalMs * 1000, Number.NEGATIVE_INFINITY);
  }

  /**
   * Closes the next interval on its boundary (measureStartUs + k x interval) after `afterInterval`: every worker's
   * intervals line up, so the coordinator merges them second by second. A boundary missed while the event loop was
   * blocked is skipped: the next stats covers the whole stretch. At the boundary the worker only takes its counters
   * and swaps its interval recorders; it encodes and sends them later in the interval, at its own offset.
   */
  #scheduleStats(measureStartUs: number, intervalUs: number, afterInterval: number): void {
    const nowUs = this.clock.now();
    const interval = Math.max(afterInterval + 1, Math.floor((nowUs - measureStartUs) / intervalUs) + 1);
    const dueUs = measureStartUs + interval * intervalUs;
    const sendDelayMs = (statsSendFraction(this.#requireConfig().index) * intervalUs) / 1000;
    this.#statsTimer = setTimeout(
      () => {
        this.#closeStats(interval, sendDelayMs);
        this.#scheduleStats(measureStartUs, intervalUs, interval);
      },
      Math.max(0, (dueUs - nowUs) / 1000),
    );
  }

  /** The boundary: what the stats will say, taken now; the histograms encoded and sent `sendDelayMs` later. */
  #closeStats(interval: number, sendDelayMs: number): void {
    void this.#flushStats();
    const driver = this.#requireDriver();
    const resources = this.#sampler.sample();
    const closed = this.#measurement.closeInterval();
    const stats: PendingStats = {
      type: 'stats',
      atUs: this.clock.now(),
      interval,
      window: { ...this.#measurement.window },
      gapsSoFar: this.#measurement.ledger.gapCount(),
      bridge: this.#counters(driver),
      resources: {
        rssBytes: resources.rssBytes,
        heapUsedBytes: resources.heapUsedBytes,
        cpuPercent: resources.cpuPercent,
        eventLoopDelayUs: resources.eventLoopDelayUs,
      },
      trace: this.#measurement.trace.take(),
    };
    const timer = setTimeout(() => void this.#flushStats(), sendDelayMs);
    this.#pendingStats = { stats, closed, timer };
  }

  /** Encodes and sends the closed interval waiting, if any (before any later message, so trace batches stay in order). */
  async #flushStats(): Promise<void> {
    const pending = this.#pendingStats;
    if (pending === undefined) return;
    this.#pendingStats = undefined;
    clearTimeout(pending.timer);
    const encoded = this.#measurement.encodeInterval(pending.closed);
    await this.send({
      ...pending.stats,
      intervalLatencyUs: encoded.latencyUs,
      intervalTransitUs: encoded.transitLatencyUs,
      ...(encoded.warmup ? { intervalWarmup: encoded.warmup } : {}),
    });
  }

  /** An injected fault: blocks this whole process synchronously, as a GC pause or a CPU-bound handler would. */
  async #fault(message: CoordinatorMessageOf<'fault'>): Promise<void> {
    this.#expect(['running'], 'fault');
    const { startedUs, endedUs } = blockEventLoop(message.durationMs, this.clock.now);
    this.logger.info(
      { kind: message.kind, startedUs, endedUs },
      `fault: blocked the event loop for ${message.durationMs} ms`,
    );
  }

  async #stop(): Promise<void> {
    this.#expect(['running', 'probing', 'ready'], 'stop');
    // The coordinator says stop when the window ends, and a pacer's timer fires up to ~1 ms late: the last events due
    // inside the window may not be out yet. The pacer's `done` resolves once it emitted the last one; wait for that,
    // bounded, so every event the schedule put in the window is published and counted.
    if (this.#pacer) await settledWithin(this.#pacer.done, PACER_FINISH_GRACE_MS);
    this.#pacer?.stop();
    clearInterval(this.#probeTimer);
    this.#phase = 'stopped';
    await waitFor(() => this.#inFlight === 0, { timeoutMs: FLUSH_TIMEOUT_MS, intervalMs: 5 }).catch(() => {
      this.logger.warn({ inFlight: this.#inFlight }, 'publishes still in flight after the flush timeout');
    });
    const m = this.#measurement;
    await this.#flushStats();
    m.trace.publishingStopped();
    await this.send({
      type: 'stopped',
      firstMeasuredSeq: m.firstMeasuredSeq,
      lastMeasuredSeq: m.lastMeasuredSeq,
      window: { ...m.window },
      trace: m.trace.take(),
    });
  }

  async #drain(message: CoordinatorMessageOf<'drain'>): Promise<void> {
    this.#expect(['stopped'], 'drain');
    const driver = this.#requireDriver();
    const m = this.#measurement;
    const drained = await waitFor(() => m.hasAllUpTo(message.expectLastSeq, driver.instanceId), {
      timeoutMs: message.timeoutMs,
      intervalMs: 10,
    }).then(
      () => true,
      () => false,
    );
    clearTimeout(this.#statsTimer);
    await this.#flushStats();
    this.#phase = 'drained';
    const resources = this.#sampler.sample();
    const windowed = this.#sampler.endWindow();
    await this.send({
      type: 'final',
      drained,
      window: { ...m.window },
      bridge: this.#counters(driver),
      ledger: m.ledger.toJSON(),
      histograms: {
        latencyUs: m.latency().encode(),
        transitLatencyUs: m.transit().encode(),
        sendLagUs: m.sendLag.encode(),
        eventLoopDelayUs: (windowed?.eventLoopDelay ?? new LatencyRecorder()).encode(),
      },
      resources: {
        rssBytes: resources.rssBytes,
        heapUsedBytes: resources.heapUsedBytes,
        cpuPercent: resources.cpuPercent,
        eventLoopDelayUs: (windowed ?? resources).eventLoopDelayUs,
        peakRssBytes: this.#sampler.peak().rssBytes,
        cpuPercentMean: windowed?.cpuPercent ?? 0,
        cpuUserUs: windowed?.cpuUserUs ?? 0,
        cpuSystemUs: windowed?.cpuSystemUs ?? 0,
      },
      trace: m.trace.take(),
    });
  }

  /** Stops timers and closes the bridge; safe to call in any phase, more than once. */
  async close(): Promise<void> {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#pacer?.stop();
    clearInterval(this.#probeTimer);
    clearTimeout(this.#statsTimer);
    clearTimeout(this.#pendingStats?.timer);
    this.#sampler.stop();
    await this.#driver?.close();
  }

  #requireDriver(): Driver {
    if (!this.#driver) throw new Error(`no driver yet (phase ${this.#phase}): "configure" must come first`);
    return this.#driver;
  }

  /** The driver's counters with the two the worker keeps for every driver. */
  #counters(driver: Driver): BridgeCountersMessage {
    return { ...driver.counters(), deliveredToHandlers: this.#handlerCalls, selfReceived: this.#ownHandlerCalls };
  }

  #requireConfig(): CoordinatorMessageOf<'configure'> {
    if (!this.#config) throw new Error(`not configured (phase ${this.#phase})`);
    return this.#config;
  }
}
