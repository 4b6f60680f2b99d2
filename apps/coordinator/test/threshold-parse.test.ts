import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../src/thresholds/parse-threshold.js';
import { METRICS, METRIC_NAMES } from '../src/model/metrics.js';
import type { ThresholdSpec } from '../src/config/threshold-spec.js';

function spec(expression: string): ThresholdSpec {
  const parsed = parseThreshold(expression);
  if (!parsed.ok) throw new Error(`"${expression}" did not parse: ${parsed.reason}`);
  return parsed.value;
}

function reason(expression: string): string {
  const parsed = parseThreshold(expression);
  if (parsed.ok) throw new Error(`"${expression}" parsed as ${JSON.stringify(parsed.value)}`);
  expect(parsed.reason).not.toContain('\n');
  return parsed.reason;
}

describe('parseThreshold', () => {
  it.each([
    ['p99<5ms', '<'],
    ['p99<=5ms', '<='],
    ['p99>5ms', '>'],
    ['p99>=5ms', '>='],
    ['p99==5ms', '=='],
    ['p99!=5ms', '!='],
  ])('reads the operator of %j', (expression, operator) => {
    expect(spec(expression)).toEqual({ expression, metric: 'p99', operator, value: 5_000 });
  });

  it.each([
    ['p50<=800us', 800],
    ['p50<=800µs', 800],
    ['p99<5ms', 5_000],
    ['p99<1.5ms', 1_500],
    ['max<1s', 1_000_000],
    ['transitP99<2ms', 2_000],
    ['sendLagP99<0.5ms', 500],
    ['p999 < 10 ms', 10_000],
  ])('normalises the latency of %j to %d us', (expression, valueUs) => {
    expect(spec(expression).value).toBe(valueUs);
  });

  it.each([
    ['delivery==100%', 1],
    ['delivery>=99.9%', 0.999],
    ['delivery>=99.99%', 0.9999],
    ['delivery>=0.999', 0.999],
    ['delivery>=0%', 0],
  ])('reads the ratio of %j as %d', (expression, ratio) => {
    expect(spec(expression).value).toBe(ratio);
  });

  it('reads counts, factors and rates as plain numbers', () => {
    expect(spec('lost==0')).toMatchObject({ metric: 'lost', value: 0 });
    expect(spec('duplicates==0')).toMatchObject({ metric: 'duplicates', value: 0 });
    expect(spec('selfReceived==0')).toMatchObject({ metric: 'selfReceived', value: 0 });
    expect(spec('amplification==4')).toMatchObject({ metric: 'amplification', value: 4 });
    expect(spec('publishedPerSec>=990')).toMatchObject({ metric: 'publishedPerSec', value: 990 });
    expect(spec('deliveredPerSec>=3960.5')).toMatchObject({ metric: 'deliveredPerSec', value: 3960.5 });
  });

  it('accepts metric names in any case and the throughput alias', () => {
    expect(spec('P99<5ms').metric).toBe('p99');
    expect(spec('selfreceived==0').metric).toBe('selfReceived');
    expect(spec('throughput>=990')).toMatchObject({ metric: 'publishedPerSec', expression: 'throughput>=990' });
  });

  it('keeps the expression as written, trimmed', () => {
    expect(spec('  p99 < 5ms ').expression).toBe('p99 < 5ms');
  });

  it('rejects an unknown metric and names every known one', () => {
    const message = reason('p98<5ms');
    expect(message).toContain('unknown metric "p98"');
    for (const name of METRIC_NAMES) expect(message).toContain(name);
  });

  it('rejects a duration on a non-latency metric', () => {
    expect(reason('lost==0ms')).toContain('lost is a count of events: write a plain number');
    expect(reason('delivery==1s')).toContain('delivery is a ratio');
    expect(reason('amplification==4s')).toContain('amplification is a plain factor');
    expect(reason('throughput>=990s')).toContain('publishedPerSec is a rate');
  });

  it('rejects a percent on a latency, count or factor metric', () => {
    expect(reason('p99<5%')).toContain('a percent does not apply to a latency');
    expect(reason('lost<1%')).toContain('lost is a count of events');
    expect(reason('amplification==400%')).toContain('amplification is a plain factor');
  });

  it('rejects a bare number on a latency metric as ambiguous', () => {
    expect(reason('p99<5')).toBe('p99 is a latency: add a unit us, ms or s (e.g. 5ms)');
  });

  it('catches a ratio written as a percent without the sign', () => {
    expect(reason('delivery>=99.9')).toBe('delivery is a ratio from 0 to 1: did you mean 99.9%?');
  });

  it.each([
    ['', 'the expression is empty'],
    ['<5ms', 'it does not start with a metric name'],
    ['p99', 'expected an operator < <= > >= == != after "p99"'],
    ['p99 5ms', 'expected an operator'],
    ['p99=5ms', 'unknown operator: use == for equality'],
    ['p99=<5ms', 'unknown operator'],
    ['p99<', 'the value is missing'],
    ['p99<-5ms', '"-5ms" is not a non-negative number'],
    ['p99<5ks', 'unknown unit "ks"'],
    ['p99<5ms and more', 'is not a non-negative number'],
    ['lost==1e3', 'write a plain number'],
  ])('rejects %j', (expression, expected) => {
    expect(reason(expression)).toContain(expected);
  });

  it('gives every registered metric a unit and a description', () => {
    for (const name of METRIC_NAMES) {
      expect(METRICS[name].description.length).toBeGreaterThan(5);
      expect(['us', 'ratio', 'factor', 'count', 'eventsPerSec']).toContain(METRICS[name].unit);
    }
  });
});
