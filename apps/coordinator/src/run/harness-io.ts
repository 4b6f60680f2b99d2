// What a run takes from its caller (HarnessDeps) and gives back (HarnessResult).
import type { Logger } from 'pino';
import type { SecretRegistry } from '../log/secret-registry.js';
import type { LiveSnapshot } from '../model/live-snapshot.js';
import type { Report } from '../model/report.js';

/** Someone watching the run as it goes (the live dashboard). */
export interface RunWatcher {
  /** Measurement is starting: `snapshot()` returns the run so far, whenever called, until the run ends. */
  measuring(snapshot: () => LiveSnapshot): void;
}

export interface HarnessDeps {
  logger: Logger;
  /** Aborted with the signal's name on SIGINT/SIGTERM. */
  signal: AbortSignal;
  progressStream: NodeJS.WriteStream;
  /** Worker entry override (tests). */
  workerEntry?: string;
  /**
   * Tests: worker i runs in its own Linux time namespace, its monotonic clock workerTimeOffsetsS[i] whole seconds
   * from the coordinator's (root only), so clock correction is tested against real clock differences.
   */
  workerTimeOffsetsS?: readonly number[];
  /** Tests: re-estimate estimated worker clocks this often (default CLOCK_DEFAULTS.reestimateEveryMs). */
  clockReestimateMs?: number;
  /** Tests: false sends every worker a clock table of zeros, so each keeps its own clock (what correction fixes). */
  clockCorrection?: false;
  /** Told every secret (Redis password) as soon as it is known, so logs can be scrubbed of it from then on. */
  secrets?: Pick<SecretRegistry, 'add'>;
  /** Told when measurement starts (--dashboard). */
  watcher?: RunWatcher;
  /** Where EVBRIDGE_TOKEN is read from (--listen without --token-file); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface HarnessResult {
  exitCode: number;
  /** Undefined when the run ended before anything was measured. */
  report?: Report;
  /** One line for the user when the run could not be carried out. */
  error?: string;
  /** Secrets to scrub from anything printed. */
  secrets: string[];
}
