// Which pacer drives a run: open-loop on timers, open-loop finished precisely, or the raw probe's naive 1 ms interval.
import { NaivePacer } from './naive-pacer.js';
import { OpenLoopPacer, defaultSpinWindowUs, type Pacer, type PacerOptions } from './pacer.js';
import type { PacerKind } from '@evbridge/protocol';

/**
 * `open-loop`: sleep on a timer until the next due event (never early, up to ~1 ms late); `precise`: the same, the last
 * stretch polled once per event-loop turn (on time, costs CPU); `naive-interval`: the baseline's 1 ms setInterval.
 * None blocks the event loop.
 */
export function createPacer(kind: PacerKind, options: Omit<PacerOptions, 'spinWindowUs'>): Pacer {
  switch (kind) {
    case 'open-loop':
      return new OpenLoopPacer({ ...options, spinWindowUs: 0 });
    case 'precise':
      return new OpenLoopPacer({ ...options, spinWindowUs: defaultSpinWindowUs(options.rateEventsPerSec) });
    case 'naive-interval':
      return new NaivePacer(options);
  }
}
