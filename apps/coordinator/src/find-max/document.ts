// The JSON document `--find-max --json` writes: the FindMaxResult, how the search ended, and its settings.

import type { FindMaxResult } from './find-max.js';

export const FIND_MAX_SCHEMA_VERSION = 1;

export interface FindMaxDocument extends FindMaxResult {
  schemaVersion: typeof FIND_MAX_SCHEMA_VERSION;
  /** complete: the search answered; interrupted: SIGINT/SIGTERM; failed: a step could not be run. */
  outcome: 'complete' | 'interrupted' | 'failed';
  /** Why the search stopped early (outcome interrupted or failed). */
  error?: string;
  settings: {
    startRateEventsPerSec: number;
    payloadBytes: number;
    stepDurationMs: number;
    stepWarmupMs: number;
    maxSteps: number;
  };
}
