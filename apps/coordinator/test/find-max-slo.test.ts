import { describe, expect, it } from 'vitest';
import { DEFAULT_SLO } from '../src/config/slo.js';
import { assertValidSlo, judgeStep, type StepFigures } from '../src/find-max/slo.js';
import { latencyUs, positiveRatio } from '../src/find-max/slo-values.js';

const HEALTHY: StepFigures = {
  targetEventsPerSec: 1000,
  deliveryRatio: 1,
  p99Us: 4_000,
  latencySamples: 20_000,
  publishedEventsPerSec: 1000,
  publishResolutionEventsPerSec: 0,
};

describe('judgeStep', () => {
  it('has the documented default SLO', () => {
    expect(DEFAULT_SLO).toEqual({ minDeliveryRatio: 1, maxP99Us: 10_000, minPublishRatio: 0.97 });
  });

  it('passes a step that holds every objective', () => {
    expect(judgeStep(HEALTHY, DEFAULT_SLO)).toEqual({ passed: true, reasons: [] });
  });

  it('fails on any lost delivery, which a rate controller that never checks delivery would miss', () => {
    const verdict = judgeStep({ ...HEALTHY, deliveryRatio: 0.9999 }, DEFAULT_SLO);
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual(['delivery 99.99% < 100%']);
  });

  it('requires p99 strictly below the bound', () => {
    expect(judgeStep({ ...HEALTHY, p99Us: 9_999 }, DEFAULT_SLO).passed).toBe(true);
    expect(judgeStep({ ...HEALTHY, p99Us: 10_000 }, DEFAULT_SLO).reasons).toEqual(['p99 10,000 us >= 10,000 us']);
  });

  it('requires the achieved publish rate to reach the share of the target', () => {
    expect(judgeStep({ ...HEALTHY, publishedEventsPerSec: 970 }, DEFAULT_SLO).passed).toBe(true);
    expect(judgeStep({ ...HEALTHY, publishedEventsPerSec: 969.9 }, DEFAULT_SLO).reasons).toEqual([
      'published 969.9/s < 97% of 1,000.0/s',
    ]);
  });

  it('allows one event per process of rounding in the publish check, and no more', () => {
    // 5 processes at 3.125/s each over 5 s: 15 whole events each, 15.0/s where 15.625/s was asked.
    const slow = {
      ...HEALTHY,
      targetEventsPerSec: 15.625,
      publishedEventsPerSec: 15,
      publishResolutionEventsPerSec: 1,
    };
    expect(judgeStep(slow, DEFAULT_SLO).passed).toBe(true);
    expect(judgeStep({ ...slow, publishedEventsPerSec: 14 }, DEFAULT_SLO).passed).toBe(false);
    expect(judgeStep({ ...slow, publishResolutionEventsPerSec: 0 }, DEFAULT_SLO).passed).toBe(false);
  });

  it('fails a step without latency samples and lists every objective missed', () => {
    const verdict = judgeStep(
      { ...HEALTHY, latencySamples: 0, p99Us: 0, deliveryRatio: 0, publishedEventsPerSec: 0 },
      DEFAULT_SLO,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toHaveLength(3);
    expect(verdict.reasons[1]).toBe('no latency samples');
  });

  it('rejects an SLO out of range, naming the field', () => {
    expect(() => assertValidSlo({ ...DEFAULT_SLO, minDeliveryRatio: 1.5 })).toThrow(/minDeliveryRatio/);
    expect(() => assertValidSlo({ ...DEFAULT_SLO, minPublishRatio: Number.NaN })).toThrow(/minPublishRatio/);
    expect(() => assertValidSlo({ ...DEFAULT_SLO, maxP99Us: 0 })).toThrow(/maxP99Us/);
    expect(() => assertValidSlo(DEFAULT_SLO)).not.toThrow();
  });
});

describe('SLO option values', () => {
  it('reads latencies with a unit as whole microseconds', () => {
    expect(latencyUs('10ms')).toEqual({ ok: true, value: 10_000 });
    expect(latencyUs('800us')).toEqual({ ok: true, value: 800 });
    expect(latencyUs('1.5ms')).toEqual({ ok: true, value: 1_500 });
    expect(latencyUs('0.01s')).toEqual({ ok: true, value: 10_000 });
    expect(latencyUs('10')).toMatchObject({ ok: false, reason: expect.stringContaining('10ms') });
    expect(latencyUs('0ms')).toMatchObject({ ok: false });
    expect(latencyUs('1.5us')).toMatchObject({ ok: false });
    expect(latencyUs('5min')).toMatchObject({ ok: false });
  });

  it('reads ratios as a percent or a fraction in (0, 1]', () => {
    expect(positiveRatio('97%')).toEqual({ ok: true, value: 0.97 });
    expect(positiveRatio('99.9%')).toEqual({ ok: true, value: 0.999 });
    expect(positiveRatio('0.97')).toEqual({ ok: true, value: 0.97 });
    expect(positiveRatio('100%')).toEqual({ ok: true, value: 1 });
    expect(positiveRatio('97')).toMatchObject({ ok: false, reason: expect.stringContaining('97%') });
    expect(positiveRatio('0%')).toMatchObject({ ok: false });
    expect(positiveRatio('101%')).toMatchObject({ ok: false });
    expect(positiveRatio('-5%')).toMatchObject({ ok: false });
  });
});
