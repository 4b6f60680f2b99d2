// --fail-on rules: how they are written (parseFailRule) and when one fails (applyRules), on hand-made rows.
import { describe, expect, it } from 'vitest';
import { applyRules } from '../src/compare-results/apply-rules.js';
import { CompareError } from '../src/compare-results/compare-error.js';
import { findCompareMetric } from '../src/compare-results/compare-metrics.js';
import type { ComparisonGroup, Judgement } from '../src/compare-results/comparison.js';
import { parseFailRule, type FailRule } from '../src/compare-results/fail-rule.js';
import { metricComparison } from '../src/compare-results/metric-row.js';
import { parseCompareArgs } from '../src/compare-results/options.js';

function rule(text: string): FailRule {
  const parsed = parseFailRule(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

function reason(text: string): string {
  const parsed = parseFailRule(text);
  if (parsed.ok) throw new Error(`"${text}" was accepted`);
  return parsed.reason;
}

describe('parseFailRule', () => {
  it('reads percents and amounts in the figure unit', () => {
    expect(rule('p99>+10%')).toMatchObject({ text: 'p99>+10%', bound: { kind: 'percent', value: 10 } });
    expect(rule('p99>+2ms').bound).toEqual({ kind: 'absolute', value: 2000 });
    expect(rule(' transitP99 > +1.5ms ').bound).toEqual({ kind: 'absolute', value: 1500 });
    expect(rule('delivered/s<-5%')).toMatchObject({ metric: { name: 'deliveredPerSec' }, bound: { value: 5 } });
    expect(rule('lost>+0').bound).toEqual({ kind: 'absolute', value: 0 });
    expect(rule('delivery<-0.001').bound).toEqual({ kind: 'absolute', value: 0.001 });
    expect(rule('rss>+20MB')).toMatchObject({ metric: { name: 'rssMb' }, bound: { value: 20 } });
    expect(rule('cpu>+5')).toMatchObject({ metric: { name: 'cpuPercent' }, bound: { kind: 'absolute', value: 5 } });
    expect(rule('p99.9>+1s')).toMatchObject({ metric: { name: 'p999' }, bound: { value: 1_000_000 } });
    expect(rule('throughput<-1%').metric.name).toBe('publishedPerSec');
    // Without a sign, the bound points the way the operator does.
    expect(rule('p99>10%').bound).toEqual({ kind: 'percent', value: 10 });
  });

  it('refuses a rule pointing the better way, or signed against its operator, and says how to write it', () => {
    expect(reason('p99<+10%')).toBe('p99 gets worse as it rises: write p99>+10%');
    expect(reason('p99>-10%')).toBe('p99 gets worse as it rises: write p99>+10%');
    expect(reason('delivered/s>+5%')).toBe('deliveredPerSec gets worse as it falls: write deliveredPerSec<-5%');
  });

  it('refuses a latency without a unit, unknown units and metrics, and nonsense', () => {
    expect(reason('p99>+10')).toMatch(/p99 is a latency: add a unit us, ms or s/);
    expect(reason('p99>+10kb')).toMatch(/unknown unit "kb"/);
    expect(reason('lost>+2ms')).toMatch(/lost is a count of events: write a percent or a plain number, without "ms"/);
    expect(reason('delivery<-2')).toMatch(/0\.\.1 fraction/);
    expect(reason('latency>+1%')).toMatch(/unknown metric "latency"; compare knows p50, p99/);
    expect(reason('p99 is slower')).toMatch(/write it as METRIC>\+BOUND/);
  });
});

describe('findCompareMetric', () => {
  it('knows the threshold names, case-insensitively, and the compare spellings', () => {
    expect(findCompareMetric('P99')?.name).toBe('p99');
    expect(findCompareMetric('transitp99')?.name).toBe('transitP99');
    expect(findCompareMetric('published/s')?.name).toBe('publishedPerSec');
    expect(findCompareMetric('duplicates')).toBeUndefined();
  });
});

const tested = (significant: boolean, direction: 'higher' | 'lower'): Judgement => ({
  kind: 'tested',
  method: 'asymptotic',
  pValue: significant ? 0.001 : 0.4,
  significant,
  direction,
  baseSamples: 30,
  newSamples: 30,
  shift: { estimate: 1, low: 0, high: 2 },
});

function group(metric: string, base: number | null, next: number | null, judgement: Judgement): ComparisonGroup {
  const definition = findCompareMetric(metric);
  if (definition === undefined) throw new Error(metric);
  return { name: 'run', metrics: [metricComparison(definition, base, next, judgement)] };
}

describe('applyRules', () => {
  it('fails only beyond the bound, the worse way, and significant', () => {
    const failed = (text: string, g: ComparisonGroup) => applyRules([rule(text)], [g])[0]?.failed;
    expect(failed('p99>+10%', group('p99', 1000, 1200, tested(true, 'higher')))).toBe(true);
    expect(failed('p99>+10%', group('p99', 1000, 1100, tested(true, 'higher')))).toBe(false);
    expect(failed('p99>+10%', group('p99', 1000, 1200, tested(false, 'higher')))).toBe(false);
    // The figure rose while the seconds moved the other way: not a significant regression.
    expect(failed('p99>+10%', group('p99', 1000, 1200, tested(true, 'lower')))).toBe(false);
    expect(failed('p99>+150us', group('p99', 1000, 1200, tested(true, 'higher')))).toBe(true);
    expect(failed('p99>+250us', group('p99', 1000, 1200, tested(true, 'higher')))).toBe(false);
    expect(failed('delivered/s<-5%', group('deliveredPerSec', 4000, 3700, tested(true, 'lower')))).toBe(true);
    expect(failed('delivered/s<-5%', group('deliveredPerSec', 4000, 4400, tested(true, 'higher')))).toBe(false);
  });

  it('takes any change of a tally as real, and fails a figure new no longer has', () => {
    const exact: Judgement = { kind: 'exact', significant: true };
    expect(applyRules([rule('lost>+0')], [group('lost', 0, 1, exact)])[0]?.failed).toBe(true);
    expect(applyRules([rule('lost>+5')], [group('lost', 0, 5, exact)])[0]?.failed).toBe(false);
    const gone = applyRules([rule('p99>+10%')], [group('p99', 1000, null, { kind: 'not-judged', reason: 'x' })])[0];
    expect(gone?.failed).toBe(true);
    expect(gone?.findings[0]).toMatch(/none in new \(nothing measured\)/);
  });

  it('refuses (CompareError) a rule it cannot judge, or on a figure the results do not have', () => {
    const notJudged = group('p99', 1000, 2000, { kind: 'not-judged', reason: 'single sample' });
    expect(() => applyRules([rule('p99>+10%')], [notJudged])).toThrow(CompareError);
    expect(() => applyRules([rule('p99>+10%')], [notJudged])).toThrow(/cannot be judged on run: single sample/);
    expect(() => applyRules([rule('lost>+0')], [notJudged])).toThrow(/have no lost \(a run figure\)/);
  });
});

describe('parseCompareArgs', () => {
  it('takes two files, repeatable rules, alpha and outputs', () => {
    const parsed = parseCompareArgs(['a.json', 'b.json', '--fail-on', 'p99>+10%', '--fail-on=lost>+0', '--alpha=0.01']);
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    expect(parsed.command).toMatchObject({ basePath: 'a.json', newPath: 'b.json', alpha: 0.01, jsonPath: undefined });
    expect(parsed.command.rules.map((r) => r.text)).toEqual(['p99>+10%', 'lost>+0']);
  });

  it('refuses one file, three, a bad alpha and an unknown option, in one line each', () => {
    const message = (argv: string[]) => {
      const parsed = parseCompareArgs(argv);
      return parsed.kind === 'error' ? parsed.message : `accepted: ${parsed.kind}`;
    };
    expect(message(['a.json'])).toMatch(/^compare takes two result files, base then new \(got 1\)/);
    expect(message(['a.json', 'b.json', 'c.json'])).toMatch(/\(got 3\)/);
    expect(message(['a.json', 'b.json', '--alpha=1'])).toMatch(/^--alpha must be a significance level between 0 and 1/);
    expect(message(['a.json', 'b.json', '--alpha=0.05', '--alpha=0.01'])).toMatch(/--alpha was given more than once/);
    expect(message(['a.json', 'b.json', '--colour'])).toMatch(/^unknown option --colour/);
    expect(parseCompareArgs(['--help', 'x']).kind).toBe('help');
  });
});
