// Open-loop pacer: event i is due at t0 + i/rate whatever happened before, so a stall becomes latency, not silence.
import { monotonicNowUs, type Clock } from './clock.js';
import { blockUs } from './fine-wait.js';

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
   * The longest sub-millisecond remainder the pacer finishes with `fineWait` instead of a timer (1 ms granularity),
   * plus TIMER_MARGIN_US (default: `defaultFineWaitWindowUs(rate)`; 0: timers only, waking at or after due times).
   */
  fineWaitWindowUs?: number;
  /** Longest single fine wait; longer remainders wait in slices, the event loop polled in between (default 1000). */
  maxBlockUs?: number;
  /** Waits synchronously for `us` microseconds (default `blockUs`: a timed futex wait, no CPU). */
  fineWait?: (us: number) => void;
}

/** Share of the time the pacer may spend in fine waits (blocking the event loop, in slices) at low rates. */
export const FINE_WAIT_BUDGET = 0.1;

/** Default `maxBlockUs`. */
export const MAX_BLOCK_US = 1000;

/**
 * The fine-wait window for a rate. A timer wakes the pacer anywhere in the last millisecond before an event is
 * due, so a window of w us (w <= 1000) fine-waits w^2/2000 us per event on average: the window is the widest that
 * keeps that within FINE_WAIT_BUDGET of the interval. At 1000 events/s per worker and above it is 0: the pacer
 * then wakes on timers only and publishes what is due per tick in one batch.
 */
export function defaultFineWaitWindowUs(rateEventsPerSec: number): number {
  const intervalUs = 1e6 / rateEventsPerSec;
  if (intervalUs <= 1000) return 0;
  return Math.min(1000, Math.floor(Math.sqrt(2000 * FINE_WAIT_BUDGET * intervalUs)));
}

/** How late a timer usually fires (slack and loop overhead): an early wake-up aims this far before the due time. */
export const TIMER_MARGIN_US = 150;

/**
 * One timer wake-up per event (timers have 1 ms granularity): wake a little before the due time when the rest
 * will be within the fine-wait window (it then fine-waits at most window + margin), otherwise at or just after it.
 */
export function timerDelayMs(remainingUs: number, fineWaitWindowUs: number): number {
  if (fineWaitWindowUs > 0) {
    const earlyMs = Math.floor((remainingUs - TIMER_MARGIN_US) / 1000);
    if (earlyMs >= 1 && remainingUs - earlyMs * 1000 <= fineWaitWindowUs + TIMER_MARGIN_US) return earlyMs;
  }
  return Math.max(1, Math.ceil(remainingUs / 1000));
}

const defaultSchedule = (tick: () => void, delayMs: number): void => {
  if (delayMs <= 0) setImmediate(tick);
  else setTimeout(tick, delayMs);
};

/**
 * Sleeps until the next due event (no busy poll): a timer brings it within a millisecond of the due time, a fine
 * wait (a timed futex wait in slices, the event loop polled in between) the rest of the way. At high rates a tick
 * emits every event already due, so a late tick catches up in one batch instead of drifting.
 */
export class OpenLoopPacer implements Pacer {
  readonly #options: Required<Omit<PacerOptions, 'now' | 'schedule' | 'fineWait'>>;
  readonly #now: Clock;
  readonly #schedule: (tick: () => void, delayMs: number) => void;
  readonly #fineWait: (us: number) => void;
  readonly #intervalUs: number;
  #next = 0;
  #state: 'idle' | 'running' | 'done' = 'idle';
  #resolveDone!: () => void;
  readonly done: Promise<void>;

  constructor(options: PacerOptions) {
    if (!(options.rateEventsPerSec > 0)) throw new TypeError('options.rateEventsPerSec must be a positive number');
    const fineWaitWindowUs = options.fineWaitWindowUs ?? defaultFineWaitWindowUs(options.rateEventsPerSec);
    if (!(fineWaitWindowUs >= 0)) throw new TypeError('options.fineWaitWindowUs must be a number >= 0');
    const maxBlockUs = options.maxBlockUs ?? MAX_BLOCK_US;
    if (!(maxBlockUs > 0)) throw new TypeError('options.maxBlockUs must be a positive number');
    this.#options = { ...options, maxBatch: options.maxBatch ?? 1000, fineWaitWindowUs, maxBlockUs };
    this.#now = options.now ?? monotonicNowUs;
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#fineWait = options.fineWait ?? blockUs;
    this.#intervalUs = 1e6 / options.rateEventsPerSec;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  intendedUs(index: number): number {
    return this.#options.t0Us + Math.round(index * this.#intervalUs);
  }

  get emitted(): number {
    return this.#next;
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    this.#tick();
  }

  stop(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#resolveDone();
  }

  #tick = (): void => {
    if (this.#state !== 'running') return;
    const { endUs, maxBatch, onDue, fineWaitWindowUs, maxBlockUs } = this.#options;
    let batch = 0;
    for (;;) {
      const now = this.#now();
      let due = this.intendedUs(this.#next);
      while (due <= now && due < endUs && batch < maxBatch) {
        onDue(this.#next, due);
        this.#next += 1;
        batch += 1;
        if (this.#state !== 'running') return;
        due = this.intendedUs(this.#next);
      }
      if (due >= endUs) {
        this.stop();
        return;
      }
      if (batch >= maxBatch) {
        // Yield at once after a full batch.
        this.#schedule(this.#tick, 0);
        return;
      }
      const remainingUs = due - this.#now();
      if (fineWaitWindowUs === 0 || remainingUs > fineWaitWindowUs + TIMER_MARGIN_US) {
        this.#schedule(this.#tick, timerDelayMs(remainingUs, fineWaitWindowUs));
        return;
      }
      if (remainingUs > 0) {
        const sliceUs = Math.min(remainingUs, maxBlockUs);
        this.#fineWait(sliceUs);
        if (sliceUs < remainingUs) {
          // Let I/O in between slices: the pacer never blocks the event loop for longer than maxBlockUs at a time.
          this.#schedule(this.#tick, 0);
          return;
        }
      }
    }
  };
}
