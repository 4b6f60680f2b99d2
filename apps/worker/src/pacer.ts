// Open-loop pacer: event i is due at t0 + i/rate whatever happened before, so a stall becomes latency, not silence.
import { monotonicNowUs, type Clock } from './clock.js';

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
}

const defaultSchedule = (tick: () => void, delayMs: number): void => {
  if (delayMs <= 0) setImmediate(tick);
  else setTimeout(tick, delayMs);
};

/**
 * Sleeps until the next due event (no busy poll at low rates); at high rates a tick emits every event
 * already due, so a late tick catches up in one batch instead of drifting.
 */
export class OpenLoopPacer implements Pacer {
  readonly #options: Required<Omit<PacerOptions, 'now' | 'schedule'>>;
  readonly #now: Clock;
  readonly #schedule: (tick: () => void, delayMs: number) => void;
  readonly #intervalUs: number;
  #next = 0;
  #state: 'idle' | 'running' | 'done' = 'idle';
  #resolveDone!: () => void;
  /** Resolves when the last due event before endUs was emitted or stop() was called. */
  readonly done: Promise<void>;

  constructor(options: PacerOptions) {
    if (!(options.rateEventsPerSec > 0)) throw new TypeError('options.rateEventsPerSec must be a positive number');
    this.#options = { ...options, maxBatch: options.maxBatch ?? 1000 };
    this.#now = options.now ?? monotonicNowUs;
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#intervalUs = 1e6 / options.rateEventsPerSec;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  /** Intended send time of event `index`, integer microseconds. */
  intendedUs(index: number): number {
    return this.#options.t0Us + Math.round(index * this.#intervalUs);
  }

  /** Events emitted so far. */
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
    const { endUs, maxBatch, onDue } = this.#options;
    const now = this.#now();
    let batch = 0;
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
    // Yield at once after a full batch; otherwise sleep (timers have 1 ms granularity: never spin on setImmediate).
    if (batch >= maxBatch) this.#schedule(this.#tick, 0);
    else this.#schedule(this.#tick, Math.max(1, Math.floor((due - now) / 1000)));
  };
}
