// How a run is going: complete, interrupted or failed; the problems met and the workers that failed on the way; and
// the exit code that follows.
import { EXIT_CODES } from '../config/exit-codes.js';
import { WorkerFailure } from '../fleet/worker-handle.js';
import type { Report, ReportProblem } from '../model/report.js';
import { RunInterrupted, type RunPhase } from './context.js';

export class RunOutcome {
  outcome: Report['outcome'] = 'complete';
  /** The signal that interrupted the run (SIGINT, SIGTERM); undefined when none did. */
  interruptedBy: string | undefined;
  readonly problems: ReportProblem[] = [];
  /** Workers whose exit was a failure, with the reason. */
  readonly failedWorkers = new Map<number, string>();

  /** A problem, naming the worker when one failed (each failed worker is noted once). */
  noteFailure(error: unknown): void {
    if (error instanceof WorkerFailure) {
      if (!this.failedWorkers.has(error.index)) this.failedWorkers.set(error.index, error.message);
      this.problems.push({ worker: error.index, pid: error.pid, message: error.message });
    } else {
      this.problems.push({ message: messageOf(error) });
    }
  }

  /** What stopped the phases: an interruption, or a failure (logged with the phase it stopped). */
  noteStop(error: unknown, phase: RunPhase, logger: { error(context: object, message: string): void }): void {
    if (error instanceof RunInterrupted) {
      this.outcome = 'interrupted';
      this.interruptedBy = error.signalName;
      this.problems.push({ message: `run interrupted by ${error.signalName} during ${phase}` });
    } else {
      this.outcome = 'failed';
      this.noteFailure(error);
      logger.error({ phase }, messageOf(error));
    }
  }

  /** Failures that fail a run still complete (an interrupted run stays interrupted). */
  fail(failures: readonly unknown[]): void {
    for (const failure of failures) this.noteFailure(failure);
    if (failures.length > 0 && this.outcome === 'complete') this.outcome = 'failed';
  }

  /** 128 + the signal's number when interrupted; else 2 when failed, and the report's verdict (0 or 1) when complete. */
  exitCode(report: Report | undefined): number {
    if (this.interruptedBy !== undefined) {
      return this.interruptedBy === 'SIGTERM' ? EXIT_CODES.interruptedBySigterm : EXIT_CODES.interruptedBySigint;
    }
    if (report === undefined || this.outcome === 'failed') return EXIT_CODES.runFailed;
    return report.passed ? EXIT_CODES.passed : EXIT_CODES.thresholdFailed;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
