import { describe, expect, it } from 'vitest';
import { phaseOffsetUs } from '../src/schedule-phase.js';

describe('phaseOffsetUs', () => {
  it('puts worker 0 at t0 and every worker within one interval after it', () => {
    expect(phaseOffsetUs(0, 200)).toBe(0);
    for (let index = 0; index < 50; index++) {
      const offsetUs = phaseOffsetUs(index, 200);
      expect(Number.isInteger(offsetUs)).toBe(true);
      expect(offsetUs).toBeGreaterThanOrEqual(0);
      expect(offsetUs).toBeLessThan(5000);
    }
  });

  it('spreads N workers over the interval without knowing N: no two closer than interval / 2N', () => {
    for (const workers of [2, 3, 5, 8]) {
      const offsets = Array.from({ length: workers }, (_, index) => phaseOffsetUs(index, 100)).sort((a, b) => a - b);
      const gaps = offsets.map((offset, i) => (offsets[i + 1] ?? offsets[0]! + 10_000) - offset);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10_000 / (2 * workers));
    }
  });
});
