import { describe, expect, it } from 'vitest';
import { formatProgress, type ProgressSnapshot } from '../src/render/progress.js';

const snapshot: ProgressSnapshot = {
  elapsedMs: 12_345.6,
  durationMs: 35_000,
  phase: 'measure',
  publishedPerSec: 1_000.04,
  deliveredPerSec: 3_999.7,
  p50Us: 812,
  p99Us: 2_048,
  lostSoFar: 3,
};

describe('formatProgress', () => {
  it('shows phase, time, rates, latency and losses on one line', () => {
    expect(formatProgress(snapshot)).toBe(
      '[measure] 12.3s/35.0s  published 1,000.0/s  delivered 3,999.7/s  p50 812 us  p99 2,048 us  lost 3',
    );
  });

  it('keeps the phase column the same width', () => {
    const warmup = formatProgress({ ...snapshot, phase: 'warmup' });
    const drain = formatProgress({ ...snapshot, phase: 'drain' });
    expect(warmup.startsWith('[warmup ] ')).toBe(true);
    expect(drain.startsWith('[drain  ] ')).toBe(true);
    expect(warmup.length).toBe(formatProgress(snapshot).length);
  });

  it('never breaks the line', () => {
    expect(formatProgress({ ...snapshot, elapsedMs: -5, publishedPerSec: Number.NaN })).not.toContain('\n');
    expect(formatProgress({ ...snapshot, elapsedMs: -5 })).toContain('0.0s/35.0s');
  });
});
