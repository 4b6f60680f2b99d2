// Which pacer drives a run: the open-loop pacer the bridge worker uses, or the raw probe's naive 1 ms interval.
import { NaivePacer } from './naive-pacer.js';
import { OpenLoopPacer, type Pacer, type PacerOptions } from './pacer.js';
import type { PacerKind } from './protocol-values.js';

/** `open-loop`: sleep until the next due event (the bridge worker); `naive-interval`: the baseline's 1 ms setInterval. */
export function createPacer(kind: PacerKind, options: PacerOptions): Pacer {
  switch (kind) {
    case 'open-loop':
      return new OpenLoopPacer(options);
    case 'naive-interval':
      return new NaivePacer(options);
  }
}
