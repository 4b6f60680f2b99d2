// Faults that silence a worker on purpose (block-worker, stop-worker...) are no hang: the stats watchdog excuses them.
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import type { HarnessOptions } from '../config/harness-options.js';
import { FAULT_KINDS } from '../model/fault-kinds.js';
import type { StatsWatchdog } from './stats-watchdog.js';

/** Excuses the target worker for the window of every worker fault, in the watchdog's clock (monotonic ms). */
export function excuseWorkerFaults(
  watchdog: Pick<StatsWatchdog, 'excuse'>,
  options: Pick<HarnessOptions, 'faults' | 'faultTarget'>,
  measureStartUs: number,
): void {
  const target = options.faultTarget ?? HARNESS_DEFAULTS.faultTarget;
  for (const fault of options.faults ?? []) {
    if (FAULT_KINDS[fault.kind].target !== 'worker') continue;
    watchdog.excuse(target, measureStartUs / 1000 + fault.atMs, fault.durationMs);
  }
}
