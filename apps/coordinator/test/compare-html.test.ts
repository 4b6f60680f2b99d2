// pnpm compare --html as text: every figure on the page traceable to the comparison JSON and shown faithfully, the
// result and the rules at the top, what was compared, text from the files escaped, the charts' data the very samples
// the test judged; and the command writing the page without changing what it prints.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchDocument } from '../src/bench/bench-document.js';
import { compareResults } from '../src/compare-results/compare-results.js';
import { COMPARE_METRICS } from '../src/compare-results/compare-metrics.js';
import type { Comparison } from '../src/compare-results/comparison.js';
import { parseFailRule } from '../src/compare-results/fail-rule.js';
import { BASE_COLOR, NEW_COLOR } from '../src/compare-results/html/compare-charts.js';
import { renderComparisonHtml } from '../src/compare-results/html/compare-page.js';
import { measuredValues } from '../src/compare-results/measured-seconds.js';
import type { PageData } from '../src/html/page-data.js';
import { PAGE_CSP } from '../src/html/page-shell.js';
import { escapeHtml } from '../src/html/safe-html.js';
import type { Report } from '../src/model/report.js';
import { classify } from '../src/results/read-result.js';
import { compareFiles, slowerBench, slowerReport } from './fixtures/compare-inputs.js';
import { driversBench } from './fixtures/sample-bench.js';
import { sampleReport, sampleTimeSeries } from './fixtures/sample-report.js';
import { figureMismatches, figuresInHtml } from './support/page-figures.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-compare-html-');

/** Both files as the command reads them (JSON round trip), their comparison and its page. */
function comparePage(
  base: unknown,
  next: unknown,
  {
    rules = [],
    paths = ['base.json', 'new.json'],
    alpha = 0.05,
  }: { rules?: string[]; paths?: string[]; alpha?: number } = {},
) {
  const files = {
    base: classify(paths[0] ?? 'base.json', JSON.parse(JSON.stringify(base))),
    new: classify(paths[1] ?? 'new.json', JSON.parse(JSON.stringify(next))),
  };
  const comparison = compareResults(files.base, files.new, {
    alpha,
    rules: rules.map((rule) => {
      const parsed = parseFailRule(rule);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    }),
  });
  // What --json writes.
  const json = JSON.parse(JSON.stringify(comparison)) as Comparison;
  return { files, comparison: json, page: renderComparisonHtml(json, files) };
}

/** The page data as the page's script reads it. */
function pageData(page: string): PageData {
  const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page)?.[1];
  if (json === undefined) throw new Error('no report-data block');
  return JSON.parse(json) as PageData;
}

/** A per-second series of a run as the test judged it. */
function judgedSeconds(report: Report, metric: string): number[] {
  const judged = COMPARE_METRICS.find((candidate) => candidate.name === metric)?.run?.judged;
  if (judged?.by !== 'series') throw new Error(`${metric} is not judged on seconds`);
  return measuredValues(report.timeSeries, judged.perSecond);
}

describe('the compare page of two runs', () => {
  it('shows every number of the table as the comparison JSON has it, with its path into it', () => {
    const { comparison, page } = comparePage(sampleReport(), slowerReport(), { rules: ['p99>+10%', 'lost>+0'] });
    const figures = figuresInHtml(page);
    expect(figureMismatches(figures, comparison)).toEqual([]);
    const fields = new Set(figures.map((figure) => figure.field));
    const rows = comparison.groups[0]?.metrics ?? [];
    expect(rows.length).toBe(12);
    rows.forEach((row, index) => {
      const path = `groups.0.metrics.${index}`;
      for (const field of ['base', 'new', 'change']) expect(fields, `${path}.${field}`).toContain(`${path}.${field}`);
      if (row.changePercent !== null) expect(fields).toContain(`${path}.changePercent`);
      if (row.judgement.kind === 'tested') {
        for (const field of ['pValue', 'shift.estimate', 'shift.low', 'shift.high']) {
          expect(fields, `${path}.judgement.${field}`).toContain(`${path}.judgement.${field}`);
        }
      }
    });
    for (const field of ['exitCode', 'alpha', 'base.measuredSeconds', 'new.durationMs', 'new.schemaVersion']) {
      expect(fields).toContain(field);
    }
    // The p99 row as the terminal prints it, in the page's units: a change in µs with its sign, p below 0.001.
    const p99 = rows.findIndex((row) => row.metric === 'p99');
    expect(page).toContain(
      `data-field="groups.0.metrics.${p99}.change" data-value="614" data-unit="us">+614 µs</span>`,
    );
    expect(page).toMatch(
      new RegExp(`data-field="groups\\.0\\.metrics\\.${p99}\\.judgement\\.pValue"[^>]*>&lt;0\\.001<`),
    );
  });

  it('a checker that can disagree: a figure shown for another value is caught', () => {
    const { comparison, page } = comparePage(sampleReport(), slowerReport());
    const p99 = comparison.groups[0]?.metrics.find((row) => row.metric === 'p99');
    if (p99 === undefined) throw new Error('no p99 row');
    p99.new = (p99.new ?? 0) + 1;
    expect(figureMismatches(figuresInHtml(page), comparison)).toEqual([
      'groups.0.metrics.1.new: page 2661, JSON 2662',
      'groups.0.metrics.1.new: shows "2,661 µs" (us) for 2662',
    ]);
  });

  it('puts the result and the rules at the top: REGRESSED, NO REGRESSION, or COMPARED without a rule', () => {
    const regressed = comparePage(sampleReport(), slowerReport(), { rules: ['p99>+10%', 'lost>+0'] }).page;
    expect(regressed).toMatch(
      /<header class="verdict fail" id="verdict" data-exit-code="1"><div class="word">REGRESSED<\/div>/,
    );
    expect(regressed).toContain('REGRESSED (1 of 2 --fail-on rules failed)');
    expect(regressed.indexOf('id="rules"')).toBeLessThan(regressed.indexOf('id="figures"'));
    expect(regressed).toMatch(/<tr class="fail"><td class="status-fail">FAIL<\/td><td><code>p99&gt;\+10%<\/code>/);
    expect(regressed).toContain('run: latency p99 +614 us (+30.0%): beyond the bound and significant (p &lt;0.001)');
    const held = comparePage(sampleReport(), sampleReport(), { rules: ['p99>+10%'] }).page;
    expect(held).toMatch(/class="verdict pass"[^>]*><div class="word">NO REGRESSION</);
    const plain = comparePage(sampleReport(), slowerReport()).page;
    expect(plain).toMatch(/class="verdict neutral"[^>]*><div class="word">COMPARED</);
    expect(plain).toContain('No --fail-on rule was given');
  });

  it('says what was compared: both runs, their settings, the notes', () => {
    const longer = sampleReport();
    longer.run.durationMs = 60_000;
    longer.run.id = 'run-longer';
    const { page } = comparePage(sampleReport(), longer);
    expect(page).toContain('<td>run run-20240611-0932-a1b2</td>');
    expect(page).toContain('<td>run run-longer</td>');
    expect(page).toMatch(
      /<tr><td>rate<\/td><td>1000\/s<\/td><td>1000\/s<\/td><td class="muted">must match<\/td><\/tr>/,
    );
    expect(page).toMatch(/<tr class="warn"><td>duration<\/td><td>30s<\/td><td>1m<\/td><td class="muted">differs<\/td>/);
    expect(page).toContain('<p class="notice">durations differ (30s vs 1m)');
  });

  it('plots the per-second values the test judged, base and new over the measured window', () => {
    const slower = slowerReport();
    const { page } = comparePage(sampleReport(), slower);
    const [latency, delivered] = pageData(page).charts;
    expect(latency?.id).toBe('compare-latency');
    expect(delivered?.id).toBe('compare-delivered');
    // 30 measured seconds at their middles; the 5 warm-up seconds left out.
    expect(latency?.x).toEqual(Array.from({ length: 30 }, (_, index) => index + 0.5));
    expect(latency?.xRange).toEqual([0, 30]);
    const line = (label: string) => latency?.series.find((series) => series.label === label);
    expect(line('new p99')?.values).toEqual(judgedSeconds(slower, 'p99'));
    expect(line('base p99')?.values).toEqual(judgedSeconds(sampleReport(), 'p99'));
    expect(line('base p50')?.values).toEqual(judgedSeconds(sampleReport(), 'p50'));
    expect([line('base p99')?.color, line('new p99')?.color]).toEqual([BASE_COLOR, NEW_COLOR]);
    expect(delivered?.series.map((series) => series.values)).toEqual([
      judgedSeconds(sampleReport(), 'deliveredPerSec'),
      judgedSeconds(slower, 'deliveredPerSec'),
    ]);
  });

  it('overlays windows of different lengths on one axis, and shades either run fault', () => {
    const longer = sampleReport();
    longer.run.durationMs = 40_000;
    longer.timeSeries = sampleTimeSeries(longer.run.procs, longer.run.warmupMs, 40_000);
    longer.timeSeries.marks.faults = [{ kind: 'block-worker', index: 0, fromMs: 10_000, toMs: 10_400 }];
    const [latency] = pageData(comparePage(sampleReport(), longer).page).charts;
    expect(latency?.x).toHaveLength(40);
    const base = latency?.series.find((line) => line.label === 'base p99')?.values ?? [];
    expect(base.slice(30)).toEqual(Array(10).fill(null));
    expect(latency?.series.find((line) => line.label === 'new p99')?.values.at(-1)).not.toBeNull();
    expect(latency?.bands).toEqual([{ fromX: 10, toX: 10.4, label: 'new: block-worker', kind: 'fault' }]);
  });

  it('draws no chart for a schema 2 report and says why', () => {
    const { timeSeries: _series, matrix: _matrix, ...rest } = slowerReport();
    const { comparison, page } = comparePage(sampleReport(), { ...rest, schemaVersion: 2 });
    expect(pageData(page).charts).toEqual([]);
    expect(page).toContain(
      'no per-second chart: new.json is a report of schema 2, without per-second series (re-run with this build',
    );
    expect(figureMismatches(figuresInHtml(page), comparison)).toEqual([]);
  });

  it('escapes everything that comes from the files: paths, run ids, notes, driver names', () => {
    const hostile = '<script>alert(1)</script>';
    const base = sampleReport();
    base.run.id = `"><img src=x onerror=alert(1)>`;
    base.run.driver = { ...base.run.driver, name: hostile };
    const next = sampleReport();
    next.run.driver = { ...next.run.driver, name: hostile };
    next.run.durationMs = 10_000;
    const { page } = comparePage(base, next, { rules: ['p99>+10%'], paths: [`${hostile}.json`, 'new.json'] });
    expect(page).not.toContain('<img');
    expect(page).not.toContain('alert(1)</script>');
    expect(page.match(/<script/g)).toHaveLength(3);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.json');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">`);
    expect(page).not.toMatch(/https?:\/\//);
  });
});

describe('the compare page of two benches', () => {
  it('shows each arm as a table of figures and plots each arm round by round, names escaped', () => {
    // Three rounds a side can give p = 0.1 at best: judged at alpha 0.2.
    const { comparison, page } = comparePage(driversBench(), slowerBench(), { rules: ['p99>+10%'], alpha: 0.2 });
    expect(comparison.exitCode).toBe(1);
    expect(figureMismatches(figuresInHtml(page), comparison)).toEqual([]);
    expect(comparison.groups.map((group) => group.name)).toEqual([
      'raw, 5 procs',
      'evbridge, 5 procs',
      '<b>socketio</b>, 5 procs',
    ]);
    expect(page).toContain('<h3>&lt;b&gt;socketio&lt;/b&gt;, 5 procs</h3>');
    expect(page).not.toContain('<b>socketio');
    expect(page).toContain('<td>bench of 2026-12-07T02:16:03.000Z</td>');
    const charts = pageData(page).charts;
    expect(charts.map((chart) => chart.id)).toEqual(['compare-p50', 'compare-p99', 'compare-delivered']);
    const p99 = charts[1];
    expect(p99?.xKind).toBe('round');
    expect(p99?.x).toEqual([1, 2, 3]);
    expect(p99?.series.map((series) => series.label)).toEqual([
      'raw, 5 procs base',
      'raw, 5 procs new',
      'evbridge, 5 procs base',
      'evbridge, 5 procs new',
      '<b>socketio</b>, 5 procs base',
      '<b>socketio</b>, 5 procs new',
    ]);
    const runs = (bench: BenchDocument) =>
      [1, 2, 3].map(
        (round) =>
          bench.runs.find((run) => run.transport === 'evbridge' && run.pair === round)?.figures?.latencyP99Us ?? null,
      );
    expect(p99?.series[2]?.values).toEqual(runs(driversBench()));
    expect(p99?.series[3]?.values).toEqual(runs(slowerBench()));
  });
});

describe('pnpm compare --html', () => {
  const command = (base: unknown, next: unknown, args: string[]) => compareFiles(tempDir(), base, next, args);

  it('writes the page beside the JSON, printing and exiting as without it', async () => {
    const htmlPath = join(tempDir(), 'out', 'cmp.html');
    const jsonPath = join(tempDir(), 'cmp.json');
    const rules = ['--fail-on', 'p99>+10%'];
    const plain = await command(sampleReport(), slowerReport(), rules);
    const written = await command(sampleReport(), slowerReport(), [...rules, '--html', htmlPath, '--json', jsonPath]);
    expect(written).toEqual(plain);
    expect(written.exitCode).toBe(1);
    const page = await readFile(htmlPath, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as Comparison;
    expect(figureMismatches(figuresInHtml(page), json)).toEqual([]);
    expect(figuresInHtml(page).length).toBeGreaterThan(80);
  });

  it('exits 2 in one line when the page cannot be written', async () => {
    const file = join(tempDir(), 'a-file');
    await writeFile(file, '');
    const result = await command(sampleReport(), sampleReport(), ['--html', join(file, 'cmp.html')]);
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(/^evbridge compare: cannot write .*cmp\.html \(.*\): give a writable path\n$/);
  });
});
