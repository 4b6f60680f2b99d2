// Open-loop pacer: event i is due at t0 + i/rate whatever happened before, so a stall becomes latency, not silence.
import { monotonicNowUs, type Clock } from '@evbridge/protocol';

/** What the session drives: event i is due at t0 + i/rate; onDue runs for each, in order. */
export interface Pacer {
  /** Resolves when the last due event before endUs was emitted or stop() was called. */
  readonly done: Promise<void>;
  /** Events emitted so far. */
  readonly emitted: number;
  /** Intended send time of event `index`, integer microseconds. */
  intendedUs(index: number): number;
  start(): void;
  stop(): void;
}

export interface PacerOptions {
  rateEventsPerSec: number;
  /** Event 0 is due at t0Us. */
  t0Us: number;
  /** No event is due at or after endUs. */
  endUs: number;
  /** Called once per due event, in order, never before its intended time. */
  onDue: (index: number, intendedUs: number) => void;
  /** Most events emitted in one tick before yielding to the event loop (default 1000). */
  maxBatch?: number;
  now?: Clock;
  /** Schedules the next tick after `delayMs` (default setTimeout / setImmediate for 0). */
  schedule?: (tick: () => void, delayMs: number) => void;
  /**
   * The longest sub-millisecond remainder (plus TIMER_MARGIN_US) the pacer finishes by polling the clock once per
   * event-loop turn (`schedule(tick, 0)`: setImmediate, so I/O is serviced between polls) instead of sleeping past
   * the due time on a timer (1 ms granularity). Default 0: timers only. `defaultSpinWindowUs(rate)` is the precise
   * pacer's. The pacer never blocks the event loop: a precise wait costs CPU, never receiving.
   */
  spinWindowUs?: number;
}

/** Share of a worker's time the precise pacer may spend polling the clock before due events, at low rates. */
export const SPIN_BUDGET = 0.1;

/**
 * The precise pacer's spin window for a rate. A timer wakes the pacer anywhere in the last millisecond before an
 * event is due, so a window of w us (w <= 1000) polls w^2/2000 us per event on average: the window is the widest
 * that keeps that within SPIN_BUDGET of the interval. At 1000 events/s per worker and above it is 0: the pacer then
 * wakes on timers only and publishes what is due per tick in one batch.
 */
export function defaultSpinWindowUs(rateEventsPerSec: number): number {
  const intervalUs = 1e6 / rateEventsPerSec;
  if (intervalUs <= 1000) return 0;
  return Math.min(1000, Math.floor(Math.sqrt(2000 * SPIN_BUDGET * intervalUs)));
}

/** How late a timer usually fires (slack and loop overhead): an early wake-up aims this far before the due time. */
export const TIMER_MARGIN_US = 150;

/**
 * One timer wake-up per event (timers have 1 ms granularity): wake a little before the due time when the rest
 * will be within the spin window (it then polls at most window + margin), otherwise at or just after it.
 */
export function timerDelayMs(remainingUs: number, spinWindowUs: number): number {
  if (spinWindowUs > 0) {
    const earlyMs = Math.floor((remainingUs - TIMER_MARGIN_US) / 1000);
    if (earlyMs >= 1 && remainingUs - earlyMs * 1000 <= spinWindowUs + TIMER_MARGIN_US) return earlyMs;
  }
  return Math.max(1, Math.ceil(remainingUs / 1000));
}

const defaultSchedule = (tick: () => void, delayMs: number): void => {
  if (delayMs <= 0) setImmediate(tick);
  else setTimeout(tick, delayMs);
};

/**
 * What every pacer shares: the schedule (event i due at t0 + i/rate, whatever happened before), its life cycle and
 * the emission of what is due. A subclass says only how it wakes: begin() arms its wake-ups, end() disarms them, and
 * each wake-up calls emitDue().
 */
export abstract class SchedulePacer implements Pacer {
  readonly done: Promise<void>;
  protected readonly now: Clock;
  readonly #t0Us: number;
  readonly #endUs: number;
  readonly #onDue: (index: number, intendedUs: number) => void;
  readonly #intervalUs: number;
  #next = 0;
  #state: 'idle' | 'running' | 'done' = 'idle';
  #resolveDone!: () => void;

  constructor(options: Pick<PacerOptions, 'rateEventsPerSec' | 't0Us' | 'endUs' | 'onDue' | 'now'>) {
    if (!(options.rateEventsPerSec > 0)) throw new TypeError('options.rateEventsPerSec must be a positive number');
    this.#t0Us = options.t0Us;
    this.#endUs = options.endUs;
    this.#onDue = options.onDue;
    this.now = options.now ?? monotonicNowUs;
    this.#intervalUs = 1e6 / options.rateEventsPerSec;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  /** Arms the first wake-up. */
  protected abstract begin(): void;

  /** Disarms whatever wake-up is pending (default: nothing; a pending tick finds the pacer stopped). */
  protected end(): void {}

  intendedUs(index: number): number {
    return this.#t0Us + Math.round(index * this.#intervalUs);
  }

  get emitted(): number {
    return this.#next;
  }

  protected get running(): boolean {
    return this.#state === 'running';
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    this.begin();
  }

  stop(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.end();
    this.#resolveDone();
  }

  /**
   * Emits, in order, every event due by now (at most `maxBatch`). Returns the next event's due time and whether the
   * batch was full, or undefined once the pacer has stopped (the schedule's end reached, or stopped from onDue).
   */
  protected emitDue(maxBatch = Number.POSITIVE_INFINITY): { nextDueUs: number; full: boolean } | undefined {
    const now = this.now();
    let due = this.intendedUs(this.#next);
    let batch = 0;
    while (due <= now && due < this.#endUs && batch < maxBatch) {
      this.#onDue(this.#next, due);
      this.#next += 1;
      batch += 1;
      if (this.#state !== 'running') return undefined;
      due = this.intendedUs(this.#next);
    }
    if (due >= this.#endUs) {
      this.stop();
      return undefined;
    }
    return { nextDueUs: due, full: batch >= maxBatch };
  }
}

/**
 * Sleeps on a timer until the next due event: with no spin window it wakes at or just after the due time (late by
 * up to ~1 ms, Node's timer granularity); with one, a timer brings it within the window and it polls the clock once
 * per event-loop turn the rest of the way, so what arrives meanwhile is handled at once. It never blocks the event
 * loop. At high rates a tick emits every event already due, so a late tick catches up in one batch instead of
 * drifting.
 */
export class OpenLoopPacer extends SchedulePacer {
  readonly #maxBatch: number;
  readonly #spinWindowUs: number;
  readonly #schedule: (tick: () => void, delayMs: number) => void;

  constructor(options: PacerOptions) {
    super(options);
    const spinWindowUs = options.spinWindowUs ?? 0;
    if (!(spinWindowUs >= 0)) throw new TypeError('options.spinWindowUs must be a number >= 0');
    this.#spinWindowUs = spinWindowUs;
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#schedule = options.schedule ?? defaultSchedule;
  }

  protected begin(): void {
    this.#tick();
  }

  #tick = (): void => {
    if (!this.running) return;
    const emitted = this.emitDue(this.#maxBatch);
    if (emitted === undefined) return;
    const remainingUs = emitted.nextDueUs - this.now();
    if (emitted.full || remainingUs <= 0) {
      // Yield at once after a full batch, or when the next event fell due meanwhile.
      this.#schedule(this.#tick, 0);
      return;
    }
    if (this.#spinWindowUs > 0 && remainingUs <= this.#spinWindowUs + TIMER_MARGIN_US) {
      // Within the window: poll again on the next event-loop turn, after whatever I/O is pending.
      this.#schedule(this.#tick, 0);
      return;
    }
    this.#schedule(this.#tick, timerDelayMs(remainingUs, this.#spinWindowUs));
  };
}
