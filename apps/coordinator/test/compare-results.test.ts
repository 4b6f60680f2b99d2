// pnpm compare on reports built from the fixtures: per-second series shifted one way or the other, judged on the
// measured seconds (not the two single numbers), and the exit codes 0, 1 and 2 of the command.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchDocument } from '../src/bench/bench-document.js';
import { BENCH_METRIC_KEYS, type RunFigures } from '../src/bench/metrics.js';
import type { BenchRun } from '../src/bench/run-pairs.js';
import { runCompareCommand } from '../src/compare-results/command.js';
import { compareResults } from '../src/compare-results/compare-results.js';
import type { Comparison, MetricComparison } from '../src/compare-results/comparison.js';
import { parseFailRule } from '../src/compare-results/fail-rule.js';
import { renderComparisonText } from '../src/compare-results/render-text.js';
import { measuredIndexes } from '../src/compare-results/measured-seconds.js';
import type { Report } from '../src/model/report.js';
import { classify } from '../src/results/read-result.js';
import { compareFiles, isMeasured, shiftedReport as shifted, slowerReport } from './fixtures/compare-inputs.js';
import { benchDocument } from './fixtures/sample-bench.js';
import { sampleReport } from './fixtures/sample-report.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-compare-results-');

function compare(base: Report, next: Report, rules: string[] = []): Comparison {
  return compareResults(classify('base.json', base), classify('new.json', next), {
    alpha: 0.05,
    rules: rules.map((rule) => {
      const parsed = parseFailRule(rule);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    }),
  });
}

function row(comparison: Comparison, metric: string, group = 0): MetricComparison {
  const found = comparison.groups[group]?.metrics.find((candidate) => candidate.metric === metric);
  if (found === undefined) throw new Error(`no ${metric} row`);
  return found;
}

/** Runs the command on two reports written as files; its exit code and what it printed. */
const command = (base: unknown, next: unknown, args: string[] = []) => compareFiles(tempDir(), base, next, args);

describe('the measured seconds', () => {
  it('are the intervals inside the measured window: no warm-up second, no partial last second', () => {
    const series = sampleReport().timeSeries;
    // Warm-up of 5 s, 30 s measured: intervals end at -4000 .. 30000; the measured ones end at 1000 .. 30000.
    expect(measuredIndexes(series).map((index) => series.fleet.tMs[index])).toEqual(
      Array.from({ length: 30 }, (_, i) => (i + 1) * 1000),
    );
    series.marks.measured.toMs = 29_500;
    expect(
      measuredIndexes(series)
        .map((index) => series.fleet.tMs[index])
        .at(-1),
    ).toBe(29_000);
  });
});

describe('compareResults on two runs', () => {
  it('finds a p99 made 30% higher second by second significant and worse, with the shift it was given', () => {
    const slower = shifted('latencyP99Us', (value) => value * 1.3);
    slower.latencyUs.p99 = Math.round(slower.latencyUs.p99 * 1.3);
    const p99 = row(compare(sampleReport(), slower), 'p99');
    expect(p99.changePercent).toBeCloseTo(30, 1);
    expect(p99.judgement).toMatchObject({ kind: 'tested', significant: true, direction: 'higher', baseSamples: 30 });
    expect(p99.verdict).toBe('worse');
    if (p99.judgement.kind !== 'tested') throw new Error('not tested');
    expect(p99.judgement.pValue).toBeLessThan(0.001);
    // The seconds' p99s are near 2,000 us: 30% is about +600 us.
    expect(p99.judgement.shift.estimate).toBeGreaterThan(550);
    expect(p99.judgement.shift.estimate).toBeLessThan(700);
  });

  it('finds the same shift the other way better, and a lower delivery rate worse', () => {
    const faster = shifted('latencyP99Us', (value) => value * 0.7);
    expect(row(compare(sampleReport(), faster), 'p99').verdict).toBe('better');
    const fewer = shifted('delivered', (value) => value - 300);
    const delivered = row(compare(sampleReport(), fewer), 'deliveredPerSec');
    expect(delivered.judgement).toMatchObject({ kind: 'tested', significant: true, direction: 'lower' });
    expect(delivered.verdict).toBe('worse');
  });

  it('judges the seconds, not the two single numbers: a higher p99 figure over the same seconds is not significant', () => {
    const next = sampleReport();
    next.latencyUs.p99 = Math.round(next.latencyUs.p99 * 1.5);
    const p99 = row(compare(sampleReport(), next), 'p99');
    expect(p99.changePercent).toBeCloseTo(50, 1);
    expect(p99.judgement).toMatchObject({ kind: 'tested', significant: false });
    expect(p99.verdict).toBe('unchanged');
  });

  it('leaves the warm-up out: slow warm-up seconds alone change nothing', () => {
    const next = sampleReport();
    const { fleet } = next.timeSeries;
    fleet.latencyP99Us = fleet.latencyP99Us.map((value, index) =>
      isMeasured(fleet.tMs[index] ?? 0) ? value : 900_000,
    );
    expect(row(compare(sampleReport(), next), 'p99').judgement).toMatchObject({ kind: 'tested', pValue: 1 });
  });

  it('takes CPU and RSS per instance from the instances, and counts a lost delivery as an exact change', () => {
    const next = sampleReport();
    next.totals.lost = 3;
    for (const instance of next.timeSeries.instances)
      instance.cpuPercent = instance.cpuPercent.map((v) => (v ?? 0) + 5);
    for (const instance of next.instances) instance.cpuPercent += 5;
    const comparison = compare(sampleReport(), next);
    expect(row(comparison, 'cpuPercent')).toMatchObject({ base: 14.5, new: 19.5, verdict: 'worse' });
    expect(row(comparison, 'rssMb').base).toBeCloseTo((88_080_384 + 2 * 1_048_576) / 1e6, 6);
    expect(row(comparison, 'lost')).toMatchObject({ base: 0, new: 3, changePercent: null, verdict: 'worse' });
    expect(row(comparison, 'lost').judgement).toEqual({ kind: 'exact', significant: true });
  });

  it('applies the rules: beyond the bound and significant fails; beyond it but not significant holds', () => {
    const slower = shifted('latencyP99Us', (value) => value * 1.3);
    slower.latencyUs.p99 = Math.round(slower.latencyUs.p99 * 1.3);
    const failing = compare(sampleReport(), slower, ['p99>+10%', 'p99>+2ms', 'lost>+0']);
    expect(failing.rules.map((rule) => [rule.rule, rule.failed])).toEqual([
      ['p99>+10%', true],
      ['p99>+2ms', false],
      ['lost>+0', false],
    ]);
    expect(failing.exitCode).toBe(1);
    const figureOnly = sampleReport();
    figureOnly.latencyUs.p99 *= 2;
    const holding = compare(sampleReport(), figureOnly, ['p99>+10%']);
    expect(holding.rules[0]?.findings[0]).toMatch(/beyond the bound but not significant \(p 1\.000\)/);
    expect(holding.exitCode).toBe(0);
  });

  it('colours the verdicts and the result only when asked (a TTY)', () => {
    const slower = shifted('latencyP99Us', (value) => value * 1.3);
    slower.latencyUs.p99 = Math.round(slower.latencyUs.p99 * 1.3);
    const comparison = compare(sampleReport(), slower, ['p99>+10%']);
    const coloured = renderComparisonText(comparison, true);
    expect(coloured).toContain('\x1b[31mworse\x1b[0m');
    expect(coloured).toContain('\x1b[31mFAIL\x1b[0m');
    expect(renderComparisonText(comparison, false)).not.toContain('\x1b[');
  });

  it('records what both runs were made with: the settings that must match, then those that may differ', () => {
    const longer = sampleReport();
    longer.run.durationMs = 60_000;
    const { settings } = compare(sampleReport(), longer);
    expect(settings.filter((setting) => setting.mustMatch).map((setting) => setting.name)).toEqual([
      'procs',
      'rate',
      'payload',
      'driver',
      'driver module',
      'mode',
      'isolate',
      'pacer',
    ]);
    expect(settings.find((setting) => setting.name === 'rate')).toEqual({
      name: 'rate',
      base: '1000/s',
      new: '1000/s',
      mustMatch: true,
    });
    expect(settings.find((setting) => setting.name === 'duration')).toEqual({
      name: 'duration',
      base: '30s',
      new: '1m',
      mustMatch: false,
    });
  });

  it('says a rise of lost from 0 is beyond any percent', () => {
    const next = sampleReport();
    next.totals.lost = 1;
    expect(compare(sampleReport(), next, ['lost>+50%']).exitCode).toBe(1);
  });
});

describe('pnpm compare, the command', () => {
  const slower = slowerReport;

  it('exits 1 on a significant regression beyond a rule, 0 on the same run, and prints the table', async () => {
    const regressed = await command(sampleReport(), slower(), ['--fail-on', 'p99>+10%']);
    expect(regressed.exitCode, regressed.err).toBe(1);
    expect(regressed.out).toMatch(
      /latency p99\s+2,047 us\s+2,661 us\s+\+614 us\s+\+30\.0%\s+<0\.001\s+\+\d{3} us \[\+\d{3}, \+\d{3}\]\s+worse/,
    );
    expect(regressed.out).toMatch(/FAIL {2}p99>\+10%/);
    expect(regressed.out).toMatch(/RESULT: REGRESSED \(1 of 1 --fail-on rules failed\)/);
    const same = await command(sampleReport(), sampleReport(), ['--fail-on', 'p99>+10%', '--fail-on', 'lost>+0']);
    expect(same.exitCode, same.err).toBe(0);
    expect(same.out).toMatch(/RESULT: NO REGRESSION \(2 of 2 --fail-on rules hold\)/);
  });

  it('exits 0 on an improvement, however large', async () => {
    const faster = shifted('latencyP99Us', (value) => value / 2);
    faster.latencyUs.p99 = Math.round(faster.latencyUs.p99 / 2);
    expect((await command(sampleReport(), faster, ['--fail-on', 'p99>+10%'])).exitCode).toBe(0);
  });

  it('writes the comparison as JSON and Markdown', async () => {
    const jsonPath = join(tempDir(), 'out', 'comparison.json');
    const markdownPath = join(tempDir(), 'out', 'comparison.md');
    const result = await command(sampleReport(), slower(), ['--json', jsonPath, '--markdown', markdownPath]);
    expect(result.exitCode, result.err).toBe(0);
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as Comparison;
    expect(json).toMatchObject({ schemaVersion: 1, kind: 'compare-results', alpha: 0.05, exitCode: 0, rules: [] });
    expect(row(json, 'p99').verdict).toBe('worse');
    const markdown = await readFile(markdownPath, 'utf8');
    expect(markdown).toMatch(
      /^\| figure \| base \| new \| change \| change % \| p \| shift \[95% CI\] \| verdict \|$/m,
    );
    expect(markdown).toMatch(
      /^\| latency p99 \| 2,047 us \| 2,661 us \| \+614 us \| \+30\.0% \| <0\.001 \| .* \| worse \|$/m,
    );
  });

  it('exits 2 naming every setting that differs', async () => {
    const other = sampleReport();
    other.run.procs = 3;
    other.run.rateEventsPerSec = 500;
    other.run.driver = { ...other.run.driver, name: 'raw' };
    other.run.durationMs = 10_000;
    const result = await command(sampleReport(), other);
    expect(result.exitCode).toBe(2);
    expect(result.out).toBe('');
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/not comparable: procs 5 vs 3, rate 1000\/s vs 500\/s, driver evbridge vs raw;/);
    expect(result.err).not.toMatch(/duration/);
  });

  it('notes different durations without refusing', async () => {
    const longer = sampleReport();
    longer.run.durationMs = 60_000;
    const result = await command(sampleReport(), longer);
    expect(result.exitCode, result.err).toBe(0);
    expect(result.out).toMatch(/durations differ \(30s vs 1m\)/);
  });

  it('exits 2 on a bad rule, an unreadable file, two kinds of result, and a rule it cannot judge', async () => {
    const badRule = await command(sampleReport(), sampleReport(), ['--fail-on', 'delivered/s>+5%']);
    expect(badRule.exitCode).toBe(2);
    expect(badRule.err).toMatch(/deliveredPerSec gets worse as it falls: write deliveredPerSec<-5%/);
    const missing = await runCompareCommand(['/nonexistent/base.json', '/nonexistent/new.json'], {
      out: { write: () => true },
      err: { write: () => true },
      color: false,
    });
    expect(missing).toBe(2);
    const mixed = await command(sampleReport(), benchDoc([benchRun(1, [1000])]));
    expect(mixed.exitCode).toBe(2);
    expect(mixed.err).toMatch(/is a run report and .* a bench result: compare two of a kind/);
    const p999 = await command(sampleReport(), sampleReport(), ['--fail-on', 'p999>+10%']);
    expect(p999.exitCode).toBe(2);
    expect(p999.err).toMatch(/"p999>\+10%" cannot be judged on run: a run report's series has no per-second p99\.9/);
  });

  it('compares schema 2 reports value by value, says significance needs a re-run, and refuses a rule on it', async () => {
    const old = (): unknown => {
      const { timeSeries: _series, matrix: _matrix, ...rest } = slower();
      return { ...rest, schemaVersion: 2 };
    };
    const printed = await command(sampleReport(), old());
    expect(printed.exitCode, printed.err).toBe(0);
    expect(printed.out).toMatch(/latency p99\s+2,047 us\s+2,661 us\s+\+614 us\s+\+30\.0%\s+-\s+-\s+not judged/);
    expect(printed.out).toMatch(/new is of schema 2, without per-second series: re-run with this build/);
    const gated = await command(sampleReport(), old(), ['--fail-on', 'p99>+10%']);
    expect(gated.exitCode).toBe(2);
    expect(gated.err).toMatch(/re-run with this build \(pnpm harness --json FILE\) to judge significance/);
    // lost is a tally: still judged.
    expect((await command(sampleReport(), old(), ['--fail-on', 'lost>+0'])).exitCode).toBe(0);
  });
});

function figures(values: Partial<RunFigures>): RunFigures {
  const all = Object.fromEntries(BENCH_METRIC_KEYS.map((key) => [key, null])) as RunFigures;
  return { ...all, deliveryRatio: 1, ...values };
}

/** One arm's runs, one per p99 given, on 5 processes. */
function benchRun(pair: number, p99s: number[], transport = 'evbridge'): BenchRun {
  return {
    order: pair,
    procs: 5,
    pair,
    transport,
    pacer: 'open-loop',
    outcome: 'complete',
    exitCode: 0,
    error: undefined,
    runId: `r${pair}`,
    startedAt: '2025-01-02T03:04:05.000Z',
    pids: [],
    redisVersion: '7.0.15',
    failedThresholds: [],
    cpuMethod: 'cpuUs',
    foreignCores: null,
    figures: figures({ latencyP99Us: p99s[0] ?? null, deliveredEventsPerSec: 4000 }),
  };
}

const armRuns = (p99s: number[], transport = 'evbridge'): BenchRun[] =>
  p99s.map((p99, index) => ({ ...benchRun(index + 1, [p99], transport), order: index + 1 }));

function benchDoc(runs: BenchRun[], drivers = ['raw', 'evbridge']): BenchDocument {
  const base = benchDocument({});
  return benchDocument({
    command: `pnpm bench --drivers=${drivers.join(',')}`,
    settings: { ...base.settings, pairs: runs.length, drivers },
    runs,
  });
}

describe('compareResults on two benches', () => {
  it('judges each arm on its runs: five rounds a side that do not overlap are significant', async () => {
    const base = benchDoc([...armRuns([2000, 2100, 1950, 2050, 2020]), ...armRuns([900, 950, 920, 910, 940], 'raw')]);
    const next = benchDoc([...armRuns([2600, 2700, 2650, 2550, 2620]), ...armRuns([905, 945, 925, 915, 935], 'raw')]);
    const comparison = compareResults(classify('a.json', base), classify('b.json', next), {
      alpha: 0.05,
      rules: [],
    });
    expect(comparison.groups.map((group) => group.name)).toEqual(['evbridge, 5 procs', 'raw, 5 procs']);
    const evbridge = row(comparison, 'p99', 0);
    expect(evbridge).toMatchObject({ base: 2020, new: 2620, verdict: 'worse' });
    expect(evbridge.judgement).toMatchObject({ kind: 'tested', method: 'exact', baseSamples: 5, newSamples: 5 });
    expect(row(comparison, 'p99', 1).verdict).toBe('unchanged');
    const result = await command(base, next, ['--fail-on', 'p99>+10%']);
    expect(result.exitCode, result.err).toBe(1);
    expect(result.out).toMatch(
      /evbridge, 5 procs: latency p99 \+600 us \(\+29\.7%\): beyond the bound and significant/,
    );
  });

  it('says a single run a side is not judged, and refuses a rule on it', async () => {
    const base = benchDoc(armRuns([2000]));
    const next = benchDoc(armRuns([4000]));
    const p99 = row(
      compareResults(classify('a.json', base), classify('b.json', next), { alpha: 0.05, rules: [] }),
      'p99',
    );
    expect(p99.judgement).toMatchObject({ kind: 'not-judged' });
    if (p99.judgement.kind !== 'not-judged') throw new Error('judged');
    expect(p99.judgement.reason).toMatch(/^single sample \(1 against 1\): not judged/);
    const gated = await command(base, next, ['--fail-on', 'p99>+10%']);
    expect(gated.exitCode).toBe(2);
    expect(gated.err).toMatch(/single sample/);
  });

  it('refuses benches of different drivers, naming them', async () => {
    const result = await command(benchDoc(armRuns([1])), benchDoc(armRuns([1]), ['raw', 'socketio']));
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(/not comparable: drivers raw,evbridge vs raw,socketio;/);
  });
});
