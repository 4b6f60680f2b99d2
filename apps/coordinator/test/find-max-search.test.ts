import { describe, expect, it } from 'vitest';
import { bestPassingRate, nextStep, type SearchPoint, type SearchSettings } from '../src/find-max/search.js';

const SETTINGS: SearchSettings = { startRateEventsPerSec: 1000, maxSteps: 30, tolerance: 0.05, minRateEventsPerSec: 5 };

/** Drives the search against a fake system whose outcome for a rate is `passes(rate, stepIndex)`. */
function search(passes: (rate: number, index: number) => boolean, settings: SearchSettings = SETTINGS) {
  const history: SearchPoint[] = [];
  const phases: string[] = [];
  for (let guard = 0; guard < 1000; guard += 1) {
    const decision = nextStep(history, settings);
    if (decision.kind === 'done') return { history, phases, decision };
    expect(
      history.map((point) => point.rateEventsPerSec),
      `proposed ${decision.rateEventsPerSec} twice`,
    ).not.toContain(decision.rateEventsPerSec);
    expect(decision.rateEventsPerSec).toBeGreaterThan(0);
    phases.push(decision.phase);
    history.push({
      rateEventsPerSec: decision.rateEventsPerSec,
      passed: passes(decision.rateEventsPerSec, history.length),
    });
  }
  throw new Error('the search never ended');
}

describe('find-max search', () => {
  it('starts at the start rate', () => {
    expect(nextStep([], SETTINGS)).toEqual({ kind: 'measure', rateEventsPerSec: 1000, phase: 'ramp' });
  });

  it('ramps by doubling while every step passes', () => {
    const { history, phases } = search((rate) => rate <= 12_345);
    expect(history.slice(0, 5).map((point) => point.rateEventsPerSec)).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(history.slice(0, 4).every((point) => point.passed)).toBe(true);
    expect(history[4]?.passed).toBe(false);
    expect(phases.slice(0, 5)).toEqual(['ramp', 'ramp', 'ramp', 'ramp', 'ramp']);
    expect(phases.slice(5).every((phase) => phase === 'bisect')).toBe(true);
  });

  it('bisects to within 5% below the real ceiling', () => {
    for (const ceiling of [1000, 1500, 12_345, 31_999, 64_001, 250_000]) {
      const { decision, history } = search((rate) => rate <= ceiling);
      expect(decision).toMatchObject({ kind: 'done', reason: 'converged' });
      const max = decision.kind === 'done' ? decision.maxRateEventsPerSec : null;
      expect(max).not.toBeNull();
      expect(max!).toBeLessThanOrEqual(ceiling);
      expect(max!).toBeGreaterThanOrEqual(ceiling / 1.05 - 1);
      const lowestFail = Math.min(...history.filter((point) => !point.passed).map((point) => point.rateEventsPerSec));
      expect(lowestFail - max!).toBeLessThanOrEqual(0.05 * max!);
      expect(history.length).toBeLessThanOrEqual(15);
    }
  });

  it('halves from the start when even the start fails, then bisects', () => {
    const { decision, history, phases } = search((rate) => rate <= 300);
    expect(history.slice(0, 3).map((point) => point.rateEventsPerSec)).toEqual([1000, 500, 250]);
    expect(phases.slice(1, 3)).toEqual(['descend', 'descend']);
    expect(phases[3]).toBe('bisect');
    const max = decision.kind === 'done' ? decision.maxRateEventsPerSec : -1;
    expect(max).toBeLessThanOrEqual(300);
    expect(max).toBeGreaterThanOrEqual(285);
  });

  it('answers null when no rate down to the minimum holds', () => {
    const { decision, history } = search(() => false);
    expect(decision).toEqual({ kind: 'done', maxRateEventsPerSec: null, reason: 'below-min-rate' });
    expect(Math.min(...history.map((point) => point.rateEventsPerSec))).toBeGreaterThanOrEqual(
      SETTINGS.minRateEventsPerSec,
    );
    expect(history.map((point) => point.rateEventsPerSec)).toEqual([1000, 500, 250, 125, 62.5, 31.25, 15.625, 7.8125]);
  });

  it('stops at maxSteps with the best rate so far', () => {
    const { decision, history } = search((rate) => rate <= 12_345, { ...SETTINGS, maxSteps: 3 });
    expect(history).toHaveLength(3);
    expect(decision).toEqual({ kind: 'done', maxRateEventsPerSec: 4000, reason: 'max-steps' });
    const none = search(() => false, { ...SETTINGS, maxSteps: 2 });
    expect(none.history).toHaveLength(2);
    expect(none.decision).toEqual({ kind: 'done', maxRateEventsPerSec: null, reason: 'max-steps' });
    expect(nextStep([], { ...SETTINGS, maxSteps: 1 })).toMatchObject({ kind: 'measure' });
  });

  it('never proposes a measured rate and always ends, even when outcomes are noisy', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 200; trial += 1) {
      const ceiling = 500 + random() * 50_000;
      // Near the ceiling the outcome is a coin toss: a pass above a fail is possible.
      const { decision, history } = search((rate) =>
        Math.abs(rate - ceiling) < ceiling * 0.2 ? random() < 0.5 : rate <= ceiling,
      );
      expect(decision.kind).toBe('done');
      const max = decision.kind === 'done' ? decision.maxRateEventsPerSec : null;
      if (max !== null) {
        expect(history.some((point) => point.passed && point.rateEventsPerSec === max)).toBe(true);
        const failsBelow = history.filter((point) => !point.passed && point.rateEventsPerSec <= max);
        expect(failsBelow, 'the answer is below every failed rate').toEqual([]);
      }
    }
  });

  it('is conservative: a pass above a failed rate is not the answer', () => {
    const history: SearchPoint[] = [
      { rateEventsPerSec: 1000, passed: true },
      { rateEventsPerSec: 2000, passed: false },
      { rateEventsPerSec: 1500, passed: false },
      { rateEventsPerSec: 1800, passed: true },
    ];
    expect(bestPassingRate(history)).toBe(1000);
    expect(nextStep(history, SETTINGS)).toEqual({ kind: 'measure', rateEventsPerSec: 1250, phase: 'bisect' });
    expect(bestPassingRate([])).toBeNull();
  });

  it('keeps bisection rates whole while the interval is wide, exact when narrow', () => {
    const wide: SearchPoint[] = [
      { rateEventsPerSec: 1001, passed: true },
      { rateEventsPerSec: 2000, passed: false },
    ];
    expect(nextStep(wide, SETTINGS)).toMatchObject({ rateEventsPerSec: 1501 });
    const narrow: SearchPoint[] = [
      { rateEventsPerSec: 10, passed: true },
      { rateEventsPerSec: 11, passed: false },
    ];
    expect(nextStep(narrow, { ...SETTINGS, tolerance: 0.01 })).toMatchObject({ rateEventsPerSec: 10.5 });
  });
});
