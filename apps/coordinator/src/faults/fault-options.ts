// Checks --fault and --fault-target against the rest of the run's options (each value is already valid alone).
import type { HarnessOptions } from '../cli/harness-options.js';
import { checkFaultTimes, targetsWorker } from './parse-fault.js';

/** A one-line reason naming the option and the fix, or undefined when the fault plan fits the run. */
export function faultPlanProblem(
  options: Pick<HarnessOptions, 'faults' | 'durationMs'>,
  given: Readonly<Record<string, unknown>>,
): string | undefined {
  const faults = options.faults ?? [];
  if (faults.length > 0 && given['find-max'] === true) {
    return '--fault does not apply with --find-max: a fault would hit every step of the search; drop one of them';
  }
  if (given['fault-target'] !== undefined && !targetsWorker(faults)) {
    return '--fault-target names the worker a worker fault hits, and no --fault hits a worker (such as block-worker@5s:500ms); add one or drop --fault-target';
  }
  return checkFaultTimes(faults, options.durationMs);
}
