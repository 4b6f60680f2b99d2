// What the live dashboard shows while a run goes: the run's settings and its seconds so far, before any report exists.
import type { ReportTimeSeries } from './report.js';

export interface LiveSnapshot {
  /** Tells a snapshot from a report in the page's data. */
  kind: 'live';
  /** The run's phase: `measure` while publishing, then `finish` and `report` while the report is built. */
  phase: string;
  /** Now, ms after measurement started (negative in the warm-up). */
  atMs: number;
  run: {
    id: string;
    driver: string;
    procs: number;
    rateEventsPerSec: number;
    durationMs: number;
    warmupMs: number;
    payloadBytes: number;
  };
  /** The seconds so far; `lost` is null throughout (exact losses are known from the ledgers at the end). */
  timeSeries: ReportTimeSeries;
  /** Latency from the intended time of every measured event received so far (interval histograms merged). */
  latencySoFarUs: { count: number; p50: number; p99: number; max: number };
}
