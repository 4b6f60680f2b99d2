// The harness's process exit codes: the contract scripts and CI rely on.

export const EXIT_CODES = {
  /** The run completed and every threshold holds. */
  passed: 0,
  /** The run completed (or was measured) and at least one threshold failed. */
  thresholdFailed: 1,
  /** The run could not be carried out: bad options, Redis unreachable, a worker failed to start... */
  runFailed: 2,
  /** SIGINT stopped the run (128 + 2); the partial report was printed and written. */
  interruptedBySigint: 130,
  /** SIGTERM stopped the run (128 + 15); the partial report was printed and written. */
  interruptedBySigterm: 143,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
