import { describe, expect, it } from 'vitest';
import { defaultThresholds, resolveThresholds } from '../src/thresholds/default-thresholds.js';
import { evaluateThresholds } from '../src/thresholds/evaluate-thresholds.js';
import { parseThreshold } from '../src/thresholds/parse-threshold.js';
import type { ThresholdSpec } from '../src/config/threshold-spec.js';
import { faultReport, lossyReport, sampleReport } from './fixtures/sample-report.js';

function spec(expression: string): ThresholdSpec {
  const parsed = parseThreshold(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const expressions = (list: readonly ThresholdSpec[]) => list.map((item) => item.expression);

describe('defaultThresholds', () => {
  it('asks for full delivery, no self delivery, N-1 amplification and every scheduled event published', () => {
    expect(defaultThresholds(5)).toEqual([
      { expression: 'delivery==100%', metric: 'delivery', operator: '==', value: 1 },
      { expression: 'selfReceived==0', metric: 'selfReceived', operator: '==', value: 0 },
      { expression: 'amplification==4', metric: 'amplification', operator: '==', value: 4 },
      { expression: 'publishRatio==100%', metric: 'publishRatio', operator: '==', value: 1 },
    ]);
    expect(expressions(defaultThresholds(2))).toContain('amplification==1');
  });

  it('pass on a clean run and fail on a lossy one, and on one that refused a publish', () => {
    expect(evaluateThresholds(defaultThresholds(5), sampleReport()).every((result) => result.passed)).toBe(true);
    const lossy = evaluateThresholds(defaultThresholds(5), lossyReport());
    expect(lossy.map((result) => result.passed)).toEqual([false, true, false, true]);
    const refusing = sampleReport();
    refusing.totals.refused = 1;
    refusing.totals.scheduled += 1;
    refusing.totals.publishRatio = refusing.totals.published / refusing.totals.scheduled;
    expect(evaluateThresholds(defaultThresholds(5), refusing).map((result) => result.passed)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('resolveThresholds', () => {
  it('adds user thresholds after the defaults', () => {
    expect(expressions(resolveThresholds([spec('p99<5ms'), spec('lost==0')], 5))).toEqual([
      'delivery==100%',
      'selfReceived==0',
      'amplification==4',
      'publishRatio==100%',
      'p99<5ms',
      'lost==0',
    ]);
  });

  it('lets a user threshold replace the default on the same metric, keeping every user threshold', () => {
    const resolved = resolveThresholds(
      [spec('delivery>=99.9%'), spec('Delivery<=100%'), spec('amplification>=3.9')],
      5,
    );
    expect(expressions(resolved)).toEqual([
      'selfReceived==0',
      'publishRatio==100%',
      'delivery>=99.9%',
      'Delivery<=100%',
      'amplification>=3.9',
    ]);
  });

  it('is idempotent', () => {
    const once = resolveThresholds([spec('delivery>=99%'), spec('p99<5ms')], 3);
    expect(resolveThresholds(once, 3)).toEqual(once);
    const defaultsOnly = resolveThresholds([], 3);
    expect(resolveThresholds(defaultsOnly, 3)).toEqual(defaultsOnly);
  });
});

describe('thresholds with faults (--fault)', () => {
  it('leave delivery, amplification and publishRatio to the user and always keep the two built-in rules', () => {
    expect(expressions(defaultThresholds(3, true))).toEqual([
      'selfReceived==0',
      'lostOutsideFaults==0',
      'unpublishedOutsideFaults==0',
    ]);
    expect(expressions(resolveThresholds([spec('recovery<2s'), spec('lostDuringFault<=100')], 3, true))).toEqual([
      'selfReceived==0',
      'lostOutsideFaults==0',
      'unpublishedOutsideFaults==0',
      'recovery<2s',
      'lostDuringFault<=100',
    ]);
    // A user threshold on the same metric is added, never a replacement of the built-in rule.
    expect(
      expressions(resolveThresholds([spec('lostOutsideFaults<=5'), spec('unpublishedOutsideFaults<=5')], 3, true)),
    ).toEqual([
      'selfReceived==0',
      'lostOutsideFaults==0',
      'unpublishedOutsideFaults==0',
      'lostOutsideFaults<=5',
      'unpublishedOutsideFaults<=5',
    ]);
    const once = resolveThresholds([spec('recovery<2s')], 3, true);
    expect(resolveThresholds(once, 3, true)).toEqual(once);
  });

  it('judge recovery (the longest), lost during faults and outside them, and verdicts', () => {
    const report = faultReport();
    const judged = (expression: string) => evaluateThresholds([spec(expression)], report)[0]!;
    expect(judged('recovery<2s')).toEqual({ expression: 'recovery<2s', actual: 66_000, passed: true });
    expect(judged('recovery<50ms').passed).toBe(false);
    expect(judged('lostDuringFault<=6')).toEqual({ expression: 'lostDuringFault<=6', actual: 6, passed: true });
    expect(judged('lostDuringFault<=5').passed).toBe(false);
    expect(judged('lostOutsideFaults==0').passed).toBe(true);
    expect(judged('faultViolations==0')).toEqual({ expression: 'faultViolations==0', actual: 0, passed: true });
    report.faults![1]!.recovered = false;
    report.faults![1]!.recoveryMs = null;
    expect(judged('recovery<2s')).toEqual({ expression: 'recovery<2s', actual: null, passed: false });
    expect(evaluateThresholds([spec('recovery<2s')], sampleReport())[0]).toEqual({
      expression: 'recovery<2s',
      actual: null,
      passed: false,
    });
    expect(evaluateThresholds([spec('lostOutsideFaults==0')], lossyReport())[0]!.passed).toBe(false);
  });
});
