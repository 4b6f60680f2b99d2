import { describe, expect, it } from 'vitest';
import { defaultThresholds, resolveThresholds } from '../src/thresholds/default-thresholds.js';
import { evaluateThresholds } from '../src/thresholds/evaluate-thresholds.js';
import { parseThreshold } from '../src/thresholds/parse-threshold.js';
import type { ThresholdSpec } from '../src/thresholds/threshold-spec.js';
import { lossyReport, sampleReport } from './fixtures/sample-report.js';

function spec(expression: string): ThresholdSpec {
  const parsed = parseThreshold(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const expressions = (list: readonly ThresholdSpec[]) => list.map((item) => item.expression);

describe('defaultThresholds', () => {
  it('asks for full delivery, no self delivery and N-1 amplification', () => {
    expect(defaultThresholds(5)).toEqual([
      { expression: 'delivery==100%', metric: 'delivery', operator: '==', value: 1 },
      { expression: 'selfReceived==0', metric: 'selfReceived', operator: '==', value: 0 },
      { expression: 'amplification==4', metric: 'amplification', operator: '==', value: 4 },
    ]);
  });

  it('expects no amplification from a single process', () => {
    expect(expressions(defaultThresholds(1))).toEqual(['delivery==100%', 'selfReceived==0', 'amplification==0']);
    expect(expressions(defaultThresholds(2))).toContain('amplification==1');
  });

  it('pass on a clean run and fail on a lossy one', () => {
    expect(evaluateThresholds(defaultThresholds(5), sampleReport()).every((result) => result.passed)).toBe(true);
    const lossy = evaluateThresholds(defaultThresholds(5), lossyReport());
    expect(lossy.map((result) => result.passed)).toEqual([false, true, false]);
  });
});

describe('resolveThresholds', () => {
  it('adds user thresholds after the defaults', () => {
    expect(expressions(resolveThresholds([spec('p99<5ms'), spec('lost==0')], 5))).toEqual([
      'delivery==100%',
      'selfReceived==0',
      'amplification==4',
      'p99<5ms',
      'lost==0',
    ]);
  });

  it('lets a user threshold replace the default on the same metric, keeping every user threshold', () => {
    const resolved = resolveThresholds([spec('delivery>=99.9%'), spec('Delivery<=100%'), spec('amplification>=3.9')], 5);
    expect(expressions(resolved)).toEqual(['selfReceived==0', 'delivery>=99.9%', 'Delivery<=100%', 'amplification>=3.9']);
  });

  it('is idempotent', () => {
    const once = resolveThresholds([spec('delivery>=99%'), spec('p99<5ms')], 3);
    expect(resolveThresholds(once, 3)).toEqual(once);
    const defaultsOnly = resolveThresholds([], 3);
    expect(resolveThresholds(defaultsOnly, 3)).toEqual(defaultsOnly);
  });
});
