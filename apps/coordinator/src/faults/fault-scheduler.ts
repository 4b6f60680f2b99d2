// Injects each planned fault at its time after measurement starts, on an injectable clock; records what happened.

/** The clock and timers the scheduler runs on (a fake one in tests). */
export interface SchedulerClock {
  /** Monotonic time, integer microseconds (the harness clock). */
  nowUs(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemSchedulerClock: SchedulerClock = {
  nowUs: () => Number(process.hrtime.bigint() / 1000n),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** `pending` until due; `not-reached` when the run ended first; `failed` when the injection threw. */
export type FaultStatus = 'pending' | 'injecting' | 'injected' | 'failed' | 'not-reached';

export interface FaultEntry<F> {
  readonly fault: F;
  /** When it is due on the harness clock. */
  readonly dueUs: number;
  status: FaultStatus;
  /** When the injection began, on the harness clock; null until then. */
  injectedAtUs: number | null;
  error: string | null;
}

/** A timer that fires this close to the due time (or later) injects; an earlier one re-arms. */
const EARLY_TOLERANCE_US = 1000;

export class FaultScheduler<F extends { atMs: number }> {
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #entries: FaultEntry<F>[] = [];
  readonly #timers = new Map<FaultEntry<F>, unknown>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly faults: readonly F[],
    private readonly inject: (fault: F) => Promise<void>,
    private readonly clock: SchedulerClock = systemSchedulerClock,
  ) {}

  get entries(): readonly FaultEntry<F>[] {
    return this.#entries;
  }

  /** Schedules every fault at measureStartUs + atMs; one already due is injected at once. */
  start(measureStartUs: number): void {
    if (this.#state !== 'idle') throw new Error(`the fault scheduler was already started (${this.#state})`);
    this.#state = 'running';
    this.#entries = this.faults.map((fault) => ({
      fault,
      dueUs: measureStartUs + fault.atMs * 1000,
      status: 'pending',
      injectedAtUs: null,
      error: null,
    }));
    for (const entry of this.#entries) this.#arm(entry);
  }

  /** Cancels what is not due yet and waits for injections in progress. Never throws; safe to call twice. */
  async stop(): Promise<void> {
    if (this.#state === 'running') {
      for (const [entry, handle] of this.#timers) {
        this.clock.clearTimer(handle);
        entry.status = 'not-reached';
      }
      this.#timers.clear();
    }
    this.#state = 'stopped';
    await Promise.all(this.#inFlight);
  }

  #arm(entry: FaultEntry<F>): void {
    this.#timers.delete(entry);
    if (this.#state !== 'running') return;
    const remainingUs = entry.dueUs - this.clock.nowUs();
    if (remainingUs > EARLY_TOLERANCE_US) {
      this.#timers.set(
        entry,
        this.clock.setTimer(() => this.#arm(entry), Math.ceil(remainingUs / 1000)),
      );
      return;
    }
    this.#fire(entry);
  }

  #fire(entry: FaultEntry<F>): void {
    entry.status = 'injecting';
    entry.injectedAtUs = this.clock.nowUs();
    let injection: Promise<void>;
    try {
      injection = this.inject(entry.fault);
    } catch (error) {
      injection = Promise.reject(error);
    }
    const done = injection
      .then(
        () => {
          entry.status = 'injected';
        },
        (error: unknown) => {
          entry.status = 'failed';
          entry.error = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => this.#inFlight.delete(done));
    this.#inFlight.add(done);
  }
}
