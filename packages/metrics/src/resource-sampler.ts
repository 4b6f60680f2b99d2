// ResourceSampler: this process's memory, CPU and event-loop delay, read once per reporting interval and over one
// measured window, from a single event-loop timer.
import { LatencyRecorder } from './latency-recorder.js';

/** Event-loop delay over one interval, in integer microseconds, beyond the monitor's own timer period. */
export interface EventLoopDelayUs {
  p50: number;
  p99: number;
  max: number;
  /** Timer ticks observed in the interval; 0 means no data (then p50, p99 and max are 0). */
  ticks: number;
}

export interface ResourceSample {
  rssBytes: number;
  heapUsedBytes: number;
  /** CPU time (user + system) over wall time since the previous sample() or start(), as % of one core (may exceed 100). */
  cpuPercent: number;
  /** Cumulative since start(). */
  cpuUserUs: number;
  /** Cumulative since start(). */
  cpuSystemUs: number;
  /** Since the previous sample() or start(). */
  eventLoopDelayUs: EventLoopDelayUs;
}

/** CPU and event-loop delay from beginWindow() to endWindow(). */
export interface WindowSample {
  /** Mean CPU (user + system) over the window's wall time, as % of one core. */
  cpuPercent: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  eventLoopDelayUs: EventLoopDelayUs;
  /** The window's event-loop delays, the timer's period taken off each, integer us: mergeable with other workers'. */
  eventLoopDelay: LatencyRecorder;
}

export interface ResourceSamplerOptions {
  /** Period of the event-loop delay timer, integer ms >= 1. Default 20. */
  eventLoopResolutionMs?: number;
  /** Monotonic wall clock in ns. Default `process.hrtime.bigint`. */
  now?: () => bigint;
  /** Cumulative CPU time in us. Default `process.cpuUsage`. */
  cpuUsage?: () => { user: number; system: number };
  /** Default `process.memoryUsage`. */
  memoryUsage?: () => { rss: number; heapUsed: number };
}

export type ResourceSamplerState = 'idle' | 'running' | 'stopped';

const DEFAULT_OPTIONS = {
  eventLoopResolutionMs: 20,
  now: (): bigint => process.hrtime.bigint(),
  cpuUsage: (): { user: number; system: number } => process.cpuUsage(),
  memoryUsage: (): { rss: number; heapUsed: number } => process.memoryUsage(),
} satisfies Required<ResourceSamplerOptions>;

/**
 * One timer feeds two histograms of event-loop delay: the current interval's (reset by sample()) and, between
 * beginWindow() and endWindow(), the window's. A second monitorEventLoopDelay for the window would double the timer
 * wake-ups, which on a small VM cost a few percent of a lightly loaded process's CPU; Node's interval histogram
 * cannot be merged into another, so the timer is ours and records each tick's delay (beyond its period) into
 * LatencyRecorders, whose encoding other processes can merge.
 */
export class ResourceSampler {
  readonly #options: Required<ResourceSamplerOptions>;
  #state: ResourceSamplerState = 'idle';
  #timer: NodeJS.Timeout | undefined;
  #lastTickNs = 0n;
  readonly #interval = new LatencyRecorder();
  #window: { delay: LatencyRecorder; startNs: bigint; cpu: { user: number; system: number } } | undefined;
  #startCpu = { user: 0, system: 0 };
  #previousCpu = { user: 0, system: 0 };
  #previousNs = 0n;
  #peakRssBytes = 0;

  constructor(options: ResourceSamplerOptions = {}) {
    const resolution = options.eventLoopResolutionMs ?? DEFAULT_OPTIONS.eventLoopResolutionMs;
    if (!Number.isInteger(resolution) || resolution < 1) {
      throw new TypeError(`options.eventLoopResolutionMs must be an integer >= 1, got ${String(resolution)}.`);
    }
    for (const name of ['now', 'cpuUsage', 'memoryUsage'] as const) {
      if (options[name] !== undefined && typeof options[name] !== 'function') {
        throw new TypeError(`options.${name} must be a function.`);
      }
    }
    this.#options = {
      eventLoopResolutionMs: resolution,
      now: options.now ?? DEFAULT_OPTIONS.now,
      cpuUsage: options.cpuUsage ?? DEFAULT_OPTIONS.cpuUsage,
      memoryUsage: options.memoryUsage ?? DEFAULT_OPTIONS.memoryUsage,
    };
  }

  get state(): ResourceSamplerState {
    return this.#state;
  }

  /** Starts the event-loop timer and the CPU baseline. Can start again after stop(). */
  start(): void {
    if (this.#state === 'running') {
      throw new Error('ResourceSampler.start() was called twice: call stop() before starting it again.');
    }
    this.#interval.reset();
    this.#window = undefined;
    this.#lastTickNs = this.#options.now();
    this.#timer = setInterval(this.#tick, this.#options.eventLoopResolutionMs).unref();
    const cpu = this.#options.cpuUsage();
    this.#startCpu = { user: cpu.user, system: cpu.system };
    this.#previousCpu = this.#startCpu;
    this.#previousNs = this.#lastTickNs;
    this.#peakRssBytes = 0;
    this.#state = 'running';
  }

  /** Stops the event-loop timer. Safe to call more than once. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#window = undefined;
    if (this.#state === 'running') this.#state = 'stopped';
  }

  /** How late this tick came: the time since the previous one, less the timer's period. */
  readonly #tick = (): void => {
    const nowNs = this.#options.now();
    const delayUs = Math.max(0, Number(nowNs - this.#lastTickNs) / 1000 - this.#options.eventLoopResolutionMs * 1000);
    this.#lastTickNs = nowNs;
    this.#interval.record(delayUs);
    this.#window?.delay.record(delayUs);
  };

  #requireRunning(method: string): void {
    if (this.#state !== 'running') {
      throw new Error(
        `ResourceSampler.${method}() needs a running sampler (state is "${this.#state}"): call start() first.`,
      );
    }
  }

  /** Starts the window: CPU and event-loop delay from now to endWindow(), beside the per-interval samples. */
  beginWindow(): void {
    this.#requireRunning('beginWindow');
    const cpu = this.#options.cpuUsage();
    this.#window = {
      delay: new LatencyRecorder(),
      startNs: this.#options.now(),
      cpu: { user: cpu.user, system: cpu.system },
    };
  }

  /** CPU and event-loop delay since beginWindow(), or undefined when no window was begun; ends the window. */
  endWindow(): WindowSample | undefined {
    const window = this.#window;
    if (window === undefined) return undefined;
    this.#window = undefined;
    const nowNs = this.#options.now();
    const cpu = this.#options.cpuUsage();
    const cpuUserUs = cpu.user - window.cpu.user;
    const cpuSystemUs = cpu.system - window.cpu.system;
    const wallUs = Number(nowNs - window.startNs) / 1000;
    return {
      cpuPercent: percentOfCore(cpuUserUs + cpuSystemUs, wallUs),
      cpuUserUs,
      cpuSystemUs,
      eventLoopDelayUs: readDelay(window.delay),
      eventLoopDelay: window.delay,
    };
  }

  /** Reads everything and starts a new interval for `cpuPercent` and `eventLoopDelayUs`. */
  sample(): ResourceSample {
    this.#requireRunning('sample');
    const nowNs = this.#options.now();
    const cpu = this.#options.cpuUsage();
    const memory = this.#options.memoryUsage();

    const wallUs = Number(nowNs - this.#previousNs) / 1000;
    const cpuUs = cpu.user - this.#previousCpu.user + (cpu.system - this.#previousCpu.system);
    const cpuPercent = percentOfCore(cpuUs, wallUs);
    this.#previousNs = nowNs;
    this.#previousCpu = { user: cpu.user, system: cpu.system };

    const eventLoopDelayUs = readDelay(this.#interval);
    this.#interval.reset();

    this.#peakRssBytes = Math.max(this.#peakRssBytes, memory.rss);
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      cpuPercent,
      cpuUserUs: cpu.user - this.#startCpu.user,
      cpuSystemUs: cpu.system - this.#startCpu.system,
      eventLoopDelayUs,
    };
  }

  /** Highest values seen across sample() calls since start(). */
  peak(): { rssBytes: number } {
    return { rssBytes: this.#peakRssBytes };
  }
}

/** CPU time over wall time as % of one core, one decimal; 0 when no wall time passed. */
function percentOfCore(cpuUs: number, wallUs: number): number {
  return wallUs > 0 ? Math.round((cpuUs / wallUs) * 1000) / 10 : 0;
}

/** An interval's delays as percentiles; an empty one (the timer never ticked) reads all zeros. */
function readDelay(delay: LatencyRecorder): EventLoopDelayUs {
  const ticks = delay.count;
  if (ticks === 0) return { p50: 0, p99: 0, max: 0, ticks: 0 };
  const { p50, p99, max } = delay.summary();
  return { p50, p99, max, ticks };
}
