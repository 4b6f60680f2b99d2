import { describe, expect, it } from 'vitest';
import { compare, evaluateThresholds, thresholdsPassed } from '../src/thresholds/evaluate-thresholds.js';
import { METRICS, METRIC_NAMES } from '../src/model/metrics.js';
import { parseThreshold } from '../src/thresholds/parse-threshold.js';
import type { ThresholdSpec } from '../src/config/threshold-spec.js';
import { faultReport, lossyReport, sampleReport } from './fixtures/sample-report.js';

function specs(...expressions: string[]): ThresholdSpec[] {
  return expressions.map((expression) => {
    const parsed = parseThreshold(expression);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value;
  });
}

describe('evaluateThresholds', () => {
  it('judges each threshold against the report, in order, with actual in the metric unit', () => {
    const results = evaluateThresholds(
      specs(
        'p99<5ms',
        'p99<2ms',
        'delivery==100%',
        'amplification==4',
        'lost==0',
        'throughput>=990',
        'transitMax<=11007us',
      ),
      sampleReport(),
    );
    expect(results).toEqual([
      { expression: 'p99<5ms', actual: 2_047, passed: true },
      { expression: 'p99<2ms', actual: 2_047, passed: false },
      { expression: 'delivery==100%', actual: 1, passed: true },
      { expression: 'amplification==4', actual: 4, passed: true },
      { expression: 'lost==0', actual: 0, passed: true },
      { expression: 'throughput>=990', actual: 999.9, passed: true },
      { expression: 'transitMax<=11007us', actual: 11_007, passed: true },
    ]);
  });

  it('fails the default thresholds on a lossy report', () => {
    const report = lossyReport();
    const results = evaluateThresholds(
      specs('delivery==100%', 'delivery>=99.9%', 'lost==0', 'duplicates==0', 'amplification==4'),
      report,
    );
    expect(results.map((result) => result.passed)).toEqual([false, true, false, false, false]);
    expect(results[0]?.actual).toBe(report.totals.deliveryRatio);
    expect(results[2]?.actual).toBe(50);
  });

  it('reads every registered metric from a report', () => {
    // The fault fixture: a clean run plus faults, so the fault metrics (recovery) have data too.
    const report = faultReport();
    for (const name of METRIC_NAMES) {
      const value = METRICS[name].read(report);
      expect(typeof value, name).toBe('number');
      expect(Number.isFinite(value), name).toBe(true);
    }
    expect(METRICS.transitP999.read(report)).toBe(3_071);
    expect(METRICS.sendLagP99.read(report)).toBe(255);
    expect(METRICS.mean.read(report)).toBe(912.4);
    expect(METRICS.receiverMismatch.read(report)).toBe(0);
    expect(METRICS.receiverMismatch.read(lossyReport())).toBe(49);
  });

  it('fails a latency threshold when no sample was recorded', () => {
    const report = sampleReport();
    report.latencyUs = { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
    expect(evaluateThresholds(specs('p99<5ms', 'transitP99<5ms'), report)).toEqual([
      { expression: 'p99<5ms', actual: null, passed: false },
      { expression: 'transitP99<5ms', actual: null, passed: false },
    ]);
  });

  it('fails when a figure is not a finite number', () => {
    const report = sampleReport();
    report.totals.deliveryRatio = Number.NaN;
    expect(evaluateThresholds(specs('delivery>=0%'), report)).toEqual([
      { expression: 'delivery>=0%', actual: null, passed: false },
    ]);
  });

  it('compares ratios within 1e-12 and counts exactly', () => {
    const report = sampleReport();
    report.totals.deliveryRatio = 0.1 + 0.2; // 0.30000000000000004
    expect(
      evaluateThresholds(specs('delivery==30%', 'delivery<=30%', 'delivery>30%'), report).map((r) => r.passed),
    ).toEqual([true, true, false]);
    report.totals.deliveryRatio = 0.3 - 1e-9;
    expect(evaluateThresholds(specs('delivery==30%', 'delivery<30%'), report).map((r) => r.passed)).toEqual([
      false,
      true,
    ]);
    report.totals.duplicates = 1;
    expect(
      evaluateThresholds(specs('duplicates<1', 'duplicates<=1', 'duplicates!=0'), report).map((r) => r.passed),
    ).toEqual([false, true, true]);
  });
});

describe('compare', () => {
  it.each([
    [1, '<', 2, true],
    [2, '<', 2, false],
    [2, '<=', 2, true],
    [3, '<=', 2, false],
    [3, '>', 2, true],
    [2, '>', 2, false],
    [2, '>=', 2, true],
    [1, '>=', 2, false],
    [2, '==', 2, true],
    [2, '==', 3, false],
    [2, '!=', 3, true],
    [2, '!=', 2, false],
  ] as const)('%d %s %d is %s', (actual, operator, limit, expected) => {
    expect(compare(actual, operator, limit)).toBe(expected);
  });

  it('treats values within the tolerance as equal for every operator', () => {
    const limit = 0.999;
    const near = limit + 1e-13;
    expect(compare(near, '==', limit, 1e-12)).toBe(true);
    expect(compare(near, '!=', limit, 1e-12)).toBe(false);
    expect(compare(near, '>', limit, 1e-12)).toBe(false);
    expect(compare(near, '<=', limit, 1e-12)).toBe(true);
    expect(compare(limit - 1e-13, '<', limit, 1e-12)).toBe(false);
    expect(compare(limit - 1e-13, '>=', limit, 1e-12)).toBe(true);
  });
});

describe('thresholdsPassed', () => {
  it('needs at least one result, all passed', () => {
    expect(thresholdsPassed([])).toBe(false);
    expect(thresholdsPassed([{ expression: 'lost==0', actual: 0, passed: true }])).toBe(true);
    expect(
      thresholdsPassed([
        { expression: 'lost==0', actual: 0, passed: true },
        { expression: 'p99<1ms', actual: null, passed: false },
      ]),
    ).toBe(false);
  });
});
