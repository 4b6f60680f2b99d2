// Detects a hung worker (SIGSTOPped, or its event loop blocked) by its missing stats; fails it and SIGKILLs it.
import { monotonicNowUs, type WorkerMessageOf } from '@evbridge/protocol';
import { WorkerFailure, type WorkerExit } from '../fleet/worker-handle.js';

/** What the watchdog needs of a worker (ProcessWorker fits). */
export interface WatchedWorker {
  readonly index: number;
  readonly pid: number;
  readonly exit: WorkerExit | undefined;
  onStats(listener: (stats: WorkerMessageOf<'stats'>) => void): void;
  /** Rejects every pending and future wait on this worker with `error`: the run learns of the failure. */
  fail(error: Error): void;
  /** Ends the worker at once (SIGKILL for a process, which even a stopped one cannot ignore). */
  terminate(): Promise<WorkerExit>;
}

export interface StatsWatchdogOptions {
  /** Longest silence tolerated, in milliseconds (several stats intervals). */
  timeoutMs: number;
  /** How often silence is checked; default a quarter of the timeout, at most 1 s. */
  checkEveryMs?: number;
  /** Monotonic milliseconds, the run's clock (monotonicNowUs / 1000) unless injected (tests). */
  nowMs?: () => number;
}

export interface HungWorker {
  index: number;
  pid: number;
  silentMs: number;
}

const defaultNowMs = (): number => monotonicNowUs() / 1000;

export class StatsWatchdog {
  readonly #workers: readonly WatchedWorker[];
  readonly #timeoutMs: number;
  readonly #checkEveryMs: number;
  readonly #nowMs: () => number;
  /** index -> when its last stats arrived (or the watch started). */
  readonly #lastSeenMs = new Map<number, number>();
  /** index -> silences on purpose (an injected fault), [fromMs, untilMs) in watchdog time. */
  readonly #excused = new Map<number, Array<[number, number]>>();
  readonly #hung: HungWorker[] = [];
  readonly #failures: WorkerFailure[] = [];
  readonly #kills: Array<Promise<unknown>> = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #watching = false;

  constructor(workers: readonly WatchedWorker[], options: StatsWatchdogOptions) {
    if (!(options.timeoutMs > 0)) throw new RangeError('StatsWatchdog timeoutMs must be greater than 0');
    this.#workers = workers;
    this.#timeoutMs = options.timeoutMs;
    this.#checkEveryMs = options.checkEveryMs ?? Math.min(1000, Math.max(50, options.timeoutMs / 4));
    this.#nowMs = options.nowMs ?? defaultNowMs;
    for (const worker of workers) {
      worker.onStats(() => {
        if (this.#watching) this.#lastSeenMs.set(worker.index, this.#nowMs());
      });
    }
  }

  /** The workers found hung so far, in the order they were found. */
  get hung(): readonly HungWorker[] {
    return this.#hung;
  }

  /** The failure of each hung worker (the run's first failure may be another: record these too). */
  get failures(): readonly WorkerFailure[] {
    return this.#failures;
  }

  /** Starts watching: every worker's silence counts from now. */
  start(): void {
    const now = this.#nowMs();
    for (const worker of this.#workers) this.#lastSeenMs.set(worker.index, now);
    this.#watching = true;
    this.#timer = setInterval(() => this.#scheduleCheck(), this.#checkEveryMs);
  }

  /**
   * A silence on purpose: worker `index` may send nothing from `fromMs` for `durationMs` (watchdog time, see
   * nowMs), e.g. an injected stop-worker or block-worker fault. The timeout counts again from its end.
   */
  excuse(index: number, fromMs: number, durationMs: number): void {
    const windows = this.#excused.get(index) ?? [];
    windows.push([fromMs, fromMs + durationMs]);
    this.#excused.set(index, windows);
  }

  /** Checks now (tests and the timer). Returns the workers found hung by this check. */
  check(): HungWorker[] {
    if (!this.#watching) return [];
    const now = this.#nowMs();
    const found: HungWorker[] = [];
    for (const worker of this.#workers) {
      if (worker.exit || !this.#lastSeenMs.has(worker.index)) continue;
      const silentMs = now - this.#silenceStartMs(worker.index, now);
      if (silentMs <= this.#timeoutMs) continue;
      this.#lastSeenMs.delete(worker.index);
      const hung = { index: worker.index, pid: worker.pid, silentMs: Math.round(silentMs) };
      this.#hung.push(hung);
      found.push(hung);
      const seconds = (silentMs / 1000).toFixed(1);
      const failure = new WorkerFailure(
        worker.index,
        worker.pid,
        `sent no stats for ${seconds} s (--stats-timeout ${this.#timeoutMs / 1000} s): it is hung (stopped, or its event loop blocked); terminated`,
      );
      this.#failures.push(failure);
      worker.fail(failure);
      // A stopped or blocked worker cannot answer a shutdown: terminate it (a process gets SIGKILL).
      this.#kills.push(worker.terminate().catch(() => undefined));
    }
    return found;
  }

  /** Stops watching and waits until every worker it killed has exited. Idempotent. */
  async stop(): Promise<void> {
    this.#watching = false;
    clearInterval(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    await Promise.all(this.#kills);
  }

  /**
   * The timer fires in the timers phase, before this loop iteration reads the IPC pipes: check in the check
   * phase instead, so stats that arrived while the coordinator itself was busy are counted first.
   */
  #scheduleCheck(): void {
    if (this.#immediate) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      this.check();
    });
  }

  /** When the current silence of `index` began: its last stats, or the end of an excused window covering it. */
  #silenceStartMs(index: number, now: number): number {
    let start = this.#lastSeenMs.get(index)!;
    for (const [fromMs, untilMs] of this.#excused.get(index) ?? []) {
      // A window that has begun and outlasts the last stats excuses the silence until it ends.
      if (fromMs <= now && untilMs > start) start = Math.min(now, untilMs);
    }
    return start;
  }
}
