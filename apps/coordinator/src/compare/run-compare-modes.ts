// Runs procs then threads with the same options, one after the other on the same machine, and compares them.
import type { HarnessOptions } from '../config/harness-options.js';
import type { HarnessDeps } from '../run/harness-io.js';
import { runHarness } from '../run/run-harness.js';
import {
  COMPARED_MODES,
  COMPARISON_SCHEMA_VERSION,
  combinedExitCode,
  compareReports,
  type ComparedMode,
  type ModeComparison,
  type ModeOutcome,
} from './mode-comparison.js';

export interface CompareResult {
  exitCode: number;
  comparison: ModeComparison;
  secrets: string[];
}

export async function runCompareModes(options: HarnessOptions, deps: HarnessDeps): Promise<CompareResult> {
  const runs: Record<ComparedMode, ModeOutcome | null> = { procs: null, threads: null };
  const secrets: string[] = [];
  for (const mode of COMPARED_MODES) {
    // Interrupted during the first run: the second is not started, and the comparison says so (null).
    if (deps.signal.aborted) break;
    deps.logger.info(`--compare-modes: the ${mode} run`);
    const result = await runHarness({ ...options, mode, compareModes: false }, deps);
    secrets.push(...result.secrets);
    runs[mode] = { exitCode: result.exitCode, report: result.report ?? null, error: result.error ?? null };
  }
  const comparison: ModeComparison = {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    kind: 'compare-modes',
    runs,
    rows: compareReports(runs.procs?.report ?? null, runs.threads?.report ?? null),
  };
  const codes = COMPARED_MODES.map((mode) => runs[mode]?.exitCode ?? 0);
  return { exitCode: combinedExitCode(codes), comparison, secrets };
}
