// Re-estimates every estimated worker clock during the measured window (hosts' clocks drift apart): a short burst of
// ping-pongs per worker, timed away from every worker's stats, and a new clock table when an offset moved.
import { STATS_INTERVAL_MS, monotonicNowUs, statsSendFraction } from '@evbridge/protocol';
import { CLOCK_DEFAULTS } from '../config/defaults.js';
import { estimateClockOffset, pingWorker, sendClockTable } from './clock-offset.js';
import type { RunContext } from './context.js';
import type { MeasureTimes } from './measure.js';

/** Ping sequence numbers of re-estimates start here (the clock phase's are below), so a late pong never matches. */
const REESTIMATE_SEQ_BASE = 1_000_000;

/**
 * Where in a stats interval (as a fraction of it) the coordinator pings: the middle of the widest gap between the
 * boundary (every worker closes its interval there) and the moments the workers encode and send their stats.
 */
export function quietSlotFraction(workers: number): number {
  const busy = [0, 1];
  for (let index = 0; index < workers; index += 1) busy.push(statsSendFraction(index));
  busy.sort((a, b) => a - b);
  let slot = 0.5;
  let widest = -1;
  for (let i = 1; i < busy.length; i += 1) {
    const gap = busy[i]! - busy[i - 1]!;
    if (gap > widest) {
      widest = gap;
      slot = (busy[i]! + busy[i - 1]!) / 2;
    }
  }
  return slot;
}

/**
 * The due times of the re-estimates: every `everyMs` after measureStart, moved into the quiet slot of that interval,
 * before measureEnd.
 */
export function reestimateTimesUs(
  times: Pick<MeasureTimes, 'measureStartUs' | 'measureEndUs'>,
  workers: number,
  everyMs: number,
): number[] {
  const slotUs = Math.round(quietSlotFraction(workers) * STATS_INTERVAL_MS * 1000);
  const due: number[] = [];
  for (let k = 1; ; k += 1) {
    const atUs = times.measureStartUs + k * everyMs * 1000 + slotUs;
    if (atUs >= times.measureEndUs) return due;
    due.push(atUs);
  }
}

export class ClockReestimates {
  readonly #context: RunContext;
  readonly #times: MeasureTimes;
  readonly #everyMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  #seq = REESTIMATE_SEQ_BASE;

  constructor(context: RunContext, times: MeasureTimes, everyMs: number = CLOCK_DEFAULTS.reestimateEveryMs) {
    if (!(everyMs > 0)) throw new RangeError('the clock re-estimate period must be greater than 0 ms');
    this.#context = context;
    this.#times = times;
    this.#everyMs = everyMs;
  }

  /** Arms the re-estimates, if any worker's clock is estimated (shared clocks have nothing to re-estimate). */
  start(): void {
    if (!this.#context.records.some((record) => record.clock?.kind === 'estimated')) return;
    this.#arm(reestimateTimesUs(this.#times, this.#context.fleet.size, this.#everyMs));
  }

  /** Cancels those not yet due and waits for one in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #arm(due: number[]): void {
    const [next, ...rest] = due;
    if (next === undefined || this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#running = this.#reestimate().finally(() => this.#arm(rest));
      },
      Math.max(0, (next - monotonicNowUs()) / 1000),
    );
  }

  /** One round: a burst per estimated worker, then a new table for everyone when an offset moved. */
  async #reestimate(): Promise<void> {
    const context = this.#context;
    let moved = false;
    for (const worker of context.fleet.workers) {
      const clock = context.records[worker.index]?.clock;
      if (this.#stopped || clock?.kind !== 'estimated' || worker.exit) continue;
      const firstSeq = this.#seq;
      this.#seq += CLOCK_DEFAULTS.reestimateRounds;
      try {
        const samples = await pingWorker(context, worker, CLOCK_DEFAULTS.reestimateRounds, 1, firstSeq);
        const estimate = estimateClockOffset(samples);
        // Moved: beyond what this estimate can tell from the offset in use.
        const applied = Math.abs(estimate.offsetUs - clock.offsetUs) > estimate.uncertaintyUs;
        clock.reestimates.push({
          atMs: Math.round((monotonicNowUs() - this.#times.measureStartUs) / 1000),
          offsetUs: estimate.offsetUs,
          uncertaintyUs: estimate.uncertaintyUs,
          rttUs: estimate.rttUs,
          previousOffsetUs: clock.offsetUs,
          applied,
        });
        if (applied) {
          clock.offsetUs = estimate.offsetUs;
          clock.uncertaintyUs = estimate.uncertaintyUs;
          clock.maxUncertaintyUs = Math.max(clock.maxUncertaintyUs, estimate.uncertaintyUs);
          moved = true;
        }
      } catch (error) {
        // A worker that failed is the run's failure, reported by the phases; its clock is not re-estimated.
        context.logger.debug({ err: error, workerIndex: worker.index }, 'clock re-estimate skipped');
      }
    }
    if (moved) await sendClockTable(context).catch(() => undefined);
  }
}
