// Phase measure: one common start for every worker, warm-up, the measured window, live progress.
import { monotonicNowUs } from '@evbridge/protocol';
import { delay, guard, type RunContext } from './context.js';
import type { Progress } from './progress.js';

/** Lead time so every worker has the start message before event 0 is due. */
const START_LEAD_US = 250_000;

export interface MeasureTimes {
  t0Us: number;
  measureStartUs: number;
  measureEndUs: number;
  /** Wall-clock time of measureStartUs. */
  startedAt: Date;
}

export function planTimes(context: RunContext, nowUs = monotonicNowUs()): MeasureTimes {
  const t0Us = nowUs + START_LEAD_US;
  const measureStartUs = t0Us + context.options.warmupMs * 1000;
  const measureEndUs = measureStartUs + context.options.durationMs * 1000;
  return { t0Us, measureStartUs, measureEndUs, startedAt: new Date(Date.now() + (measureStartUs - nowUs) / 1000) };
}

export async function measure(context: RunContext, times: MeasureTimes, progress: Progress): Promise<void> {
  const { t0Us, measureStartUs, measureEndUs } = times;
  await guard(context, context.fleet.broadcast({ type: 'start', t0Us, measureStartUs, measureEndUs }));
  const startedUs = monotonicNowUs();
  const before = context.fleet.workers.map((worker) => worker.messagesReceived);
  progress.start();
  try {
    // A timer may fire a fraction of a millisecond early (libuv keeps time in whole milliseconds): wait out the rest,
    // so that the window has run its whole length when this returns (the report's measured span says so).
    while (monotonicNowUs() < measureEndUs) {
      await guard(context, delay(Math.max(1, (measureEndUs - monotonicNowUs()) / 1000)));
    }
  } finally {
    progress.stop();
    const durationMs = (monotonicNowUs() - startedUs) / 1000;
    context.fleet.workers.forEach((worker, index) => {
      context.records[worker.index]!.ipc = { messages: worker.messagesReceived - before[index]!, durationMs };
    });
  }
}
