// The raw probe's pacer, exactly the baseline: a 1 ms setInterval that emits every event due at each tick.
import { SchedulePacer, type PacerOptions } from './pacer.js';

export interface NaivePacerOptions extends Omit<PacerOptions, 'maxBatch' | 'schedule' | 'spinWindowUs'> {
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
export class NaivePacer extends SchedulePacer {
  readonly #every: (tick: () => void, periodMs: number) => () => void;
  #cancel: (() => void) | undefined;

  constructor(options: NaivePacerOptions) {
    super(options);
    this.#every = options.every ?? defaultEvery;
  }

  protected begin(): void {
    this.#cancel = this.#every(() => {
      if (this.running) this.emitDue();
    }, NAIVE_TICK_MS);
  }

  protected override end(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }
}
