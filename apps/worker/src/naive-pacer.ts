// The raw probe's pacer, exactly the baseline: a 1 ms setInterval that emits every event due at each tick.
import { monotonicNowUs, type Clock } from '@evbridge/protocol';
import type { Pacer, PacerOptions } from './pacer.js';

export interface NaivePacerOptions extends Omit<PacerOptions, 'maxBatch' | 'schedule'> {
  /** Runs `tick` every `periodMs` until the returned cancel is called (default setInterval / clearInterval). */
  every?: (tick: () => void, periodMs: number) => () => void;
}

/** The baseline's tick period. */
export const NAIVE_TICK_MS = 1;

const defaultEvery = (tick: () => void, periodMs: number): (() => void) => {
  const timer = setInterval(tick, periodMs);
  return () => clearInterval(timer);
};

/**
 * Open-loop like the bridge's pacer (event i is due at t0 + i/rate, a stall becomes latency), but woken by a
 * fixed 1 ms interval whatever the rate: an event waits for the next tick after it is due, and an idle worker
 * still wakes 1000 times a second. That lateness and that CPU are part of what the raw probe measures.
 */
export class NaivePacer implements Pacer {
  readonly #options: NaivePacerOptions;
  readonly #now: Clock;
  readonly #intervalUs: number;
  #cancel: (() => void) | undefined;
  #next = 0;
  #state: 'idle' | 'running' | 'done' = 'idle';
  #resolveDone!: () => void;
  readonly done: Promise<void>;

  constructor(options: NaivePacerOptions) {
    if (!(options.rateEventsPerSec > 0)) throw new TypeError('options.rateEventsPerSec must be a positive number');
    this.#options = options;
    this.#now = options.now ?? monotonicNowUs;
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
    this.#cancel = (this.#options.every ?? defaultEvery)(this.#tick, NAIVE_TICK_MS);
  }

  stop(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#cancel?.();
    this.#cancel = undefined;
    this.#resolveDone();
  }

  #tick = (): void => {
    if (this.#state !== 'running') return;
    const { endUs, onDue } = this.#options;
    const now = this.#now();
    let due = this.intendedUs(this.#next);
    while (due <= now && due < endUs) {
      onDue(this.#next, due);
      this.#next += 1;
      if (this.#state !== 'running') return;
      due = this.intendedUs(this.#next);
    }
    if (due >= endUs) this.stop();
  };
}
