// A bench measures on a quiet machine: before it starts, the 1-minute load average below QUIET_LOAD; while it runs,
// the CPU of processes outside the bench below QUIET_LOAD cores. It waits for that, or says why it cannot.
import { cpuSnapshot, foreignCores, type CpuSnapshot } from '@evbridge/metrics';
import { formatDecimal } from '../render/format.js';
import { formatDurationMs } from '../config/duration.js';

/** The most load a measurement tolerates: the 1-minute load average before, other processes' cores during. */
export const QUIET_LOAD = 0.5;
/** How often the wait looks again. */
const POLL_MS = 5_000;
/** How long each look at other processes' CPU lasts between runs. */
const FOREIGN_PROBE_MS = 2_000;

export interface QuietDeps {
  /** The 1-minute load average now. */
  load1m: () => number;
  /** Cores' worth of CPU processes outside the bench used over `ms` (null where it cannot be measured). */
  foreignCoresOver: (ms: number) => Promise<number | null>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
  /** Hears each wait (a log line). */
  onWait?: (what: string) => void;
}

export interface QuietOutcome {
  quiet: boolean;
  /** The last figure seen: the load average before a bench, other processes' cores between runs. */
  load: number;
  waitedMs: number;
}

/** Waits until the 1-minute load average is below QUIET_LOAD, at most `waitMs`. */
export async function awaitQuietStart(waitMs: number, deps: QuietDeps): Promise<QuietOutcome> {
  return awaitBelow(
    waitMs,
    deps,
    async () => deps.load1m(),
    (load) => `1-minute load average ${formatDecimal(load, 2)}`,
  );
}

/** Waits until other processes use less than QUIET_LOAD cores (each look lasts FOREIGN_PROBE_MS), at most `waitMs`. */
export async function awaitQuietBetweenRuns(waitMs: number, deps: QuietDeps): Promise<QuietOutcome> {
  return awaitBelow(
    waitMs,
    deps,
    async () => (await deps.foreignCoresOver(FOREIGN_PROBE_MS)) ?? 0,
    (cores) => `other processes using ${formatDecimal(cores, 2)} cores`,
  );
}

async function awaitBelow(
  waitMs: number,
  deps: QuietDeps,
  read: () => Promise<number>,
  describe: (value: number) => string,
): Promise<QuietOutcome> {
  const started = deps.now();
  for (;;) {
    const load = await read();
    const waitedMs = deps.now() - started;
    if (load < QUIET_LOAD) return { quiet: true, load, waitedMs };
    if (waitedMs >= waitMs || deps.signal.aborted) return { quiet: false, load, waitedMs };
    deps.onWait?.(
      `waiting for a quiet machine: ${describe(load)} (needs below ${QUIET_LOAD}; ${formatDurationMs(waitMs - waitedMs)} left)`,
    );
    await deps.sleep(Math.min(POLL_MS, waitMs - waitedMs));
  }
}

/** The one-line refusal, naming the figure and the fix. */
export function notQuietMessage(outcome: QuietOutcome, when: 'before' | 'between'): string {
  const what =
    when === 'before'
      ? `the 1-minute load average was ${formatDecimal(outcome.load, 2)}`
      : `other processes used ${formatDecimal(outcome.load, 2)} cores`;
  return `the machine is not quiet: ${what} after waiting ${formatDurationMs(Math.round(outcome.waitedMs))} (a measurement needs below ${QUIET_LOAD}); stop what else runs, wait longer with --quiet-wait, or pass --allow-load to measure anyway (its section then carries a warning)`;
}

/** Measures other processes' CPU from its making until stop() (one bench run). */
export class ForeignCpuMeter {
  readonly #from: CpuSnapshot | undefined = cpuSnapshot();

  /** Cores' worth of CPU used outside this process tree since the meter was made; null where /proc cannot tell. */
  stop(): number | null {
    const to = cpuSnapshot();
    if (this.#from === undefined || to === undefined) return null;
    return foreignCores(this.#from, to);
  }
}

/** The real dependencies: os.loadavg, /proc, timers. */
export function systemQuietDeps(signal: AbortSignal, load1m: () => number, onWait?: (what: string) => void): QuietDeps {
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return {
    load1m,
    foreignCoresOver: async (ms) => {
      const meter = new ForeignCpuMeter();
      await sleep(ms);
      return meter.stop();
    },
    sleep,
    now: Date.now,
    signal,
    ...(onWait === undefined ? {} : { onWait }),
  };
}
