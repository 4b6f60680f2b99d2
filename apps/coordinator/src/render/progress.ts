// The one-line live progress shown while a run is going.

import { formatInteger, formatRate, formatUs } from './format.js';

export type ProgressPhase = 'warmup' | 'measure' | 'drain';

export interface ProgressSnapshot {
  elapsedMs: number;
  durationMs: number;
  phase: ProgressPhase;
  publishedPerSec: number;
  deliveredPerSec: number;
  p50Us: number;
  p99Us: number;
  lostSoFar: number;
}

const PHASE_WIDTH = 'measure'.length;

/** e.g. "[measure] 12.0s/35.0s  published 1,000.0/s  delivered 4,000.0/s  p50 812 us  p99 2,048 us  lost 0". */
export function formatProgress(p: ProgressSnapshot): string {
  const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  return [
    `[${p.phase.padEnd(PHASE_WIDTH)}] ${seconds(p.elapsedMs)}/${seconds(p.durationMs)}`,
    `published ${formatRate(p.publishedPerSec)}`,
    `delivered ${formatRate(p.deliveredPerSec)}`,
    `p50 ${formatUs(p.p50Us)}`,
    `p99 ${formatUs(p.p99Us)}`,
    `lost ${formatInteger(p.lostSoFar)}`,
  ].join('  ');
}
