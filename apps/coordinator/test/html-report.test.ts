// The HTML report as text: every figure traceable to the JSON and shown faithfully, report text escaped, nothing that
// would fetch from a network, schema 2 reports rendered with what they have, and what the charts are drawn from.
import { LatencyRecorder } from '@evbridge/metrics';
import { describe, expect, it } from 'vitest';
import type { BenchDocument } from '../src/bench/bench-document.js';
import { renderBenchHtml } from '../src/html/bench/bench-page.js';
import { findMaxCurve } from '../src/html/bench/find-max-curve.js';
import { renderFindMaxHtml } from '../src/html/bench/find-max-page.js';
import type { PageData } from '../src/html/page-data.js';
import { PAGE_CSP } from '../src/html/page-shell.js';
import { renderResultHtml } from '../src/html/render-html.js';
import { MATRIX_FULL_MAX } from '../src/html/run/matrix.js';
import { renderRunHtml, runPageParts, SCHEMA_2_NOTICE } from '../src/html/run/run-page.js';
import { latencySpectrum } from '../src/html/run/spectrum.js';
import { timeCharts } from '../src/html/run/time-charts.js';
import { escapeHtml, jsonForScript } from '../src/html/safe-html.js';
import type { Report } from '../src/model/report.js';
import type { ReportV2 } from '../src/results/read-result.js';
import { driversBench, driversFindMaxBench, findMaxDocument } from './fixtures/sample-bench.js';
import { faultReport, lossyReport, remoteReport, sampleMatrix, sampleReport } from './fixtures/sample-report.js';
import { figureMismatches, figuresInHtml } from './support/page-figures.js';

/** The page data as the page's script reads it. */
function pageData(page: string): PageData {
  const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page)?.[1];
  if (json === undefined) throw new Error('no report-data block');
  return JSON.parse(json) as PageData;
}

/** A report with real histograms (the fixtures' are placeholders): 1..10,000 us intended, a tenth of it transit. */
function withHistograms(report: Report): Report {
  const intended = new LatencyRecorder();
  const transit = new LatencyRecorder();
  for (let us = 1; us <= 10_000; us++) {
    intended.record(us);
    transit.record(us / 10);
  }
  report.histograms = { ...report.histograms, latencyUs: intended.encode(), transitLatencyUs: transit.encode() };
  return report;
}

describe('the HTML report of a run', () => {
  it.each([
    ['a clean run', sampleReport],
    ['a lossy, interrupted run', lossyReport],
    ['a run with faults', faultReport],
    ['a run with remote workers', remoteReport],
  ])('shows every figure of %s as the JSON has it', (_name, make) => {
    const report = make();
    // What --json writes and pnpm report reads (Infinity and undefined as JSON has them).
    const json = JSON.parse(JSON.stringify(report)) as Report;
    const page = renderRunHtml(json);
    const figures = figuresInHtml(page);
    expect(figureMismatches(figures, json)).toEqual([]);
    const fields = new Set(figures.map((figure) => figure.field));
    for (const field of [
      'totals.deliveryRatio',
      'totals.lost',
      'latencyUs.p99',
      'latencyUs.p999',
      'thresholds.0.actual',
    ]) {
      expect(fields).toContain(field);
    }
    expect(fields).toContain(`instances.${report.instances.length - 1}.latencyUs.p99`);
    expect(fields).toContain('matrix.lost.1.0');
    expect(page).toContain(`<div class="word">${report.passed ? 'PASS' : 'FAIL'}</div>`);
  });

  it('shows where remote workers connected, how many came and what the control channel refused', () => {
    const page = renderRunHtml(remoteReport());
    const figures = figuresInHtml(page).map((figure) => figure.field);
    expect(figures).toEqual(
      expect.arrayContaining([
        'control.workersArrived',
        'control.workersExpected',
        'control.refused.badProof',
        'control.refused.garbage',
        'control.refused.slow',
      ]),
    );
    // Only the reasons that occurred.
    expect(figures).not.toContain('control.refused.oversize');
    expect(page).toContain('ws://127.0.0.1:7400');
    expect(renderRunHtml(sampleReport())).not.toContain('remote workers');
  });

  it('shows the clock error bound next to the latency, and each estimated clock its own, only where not 0', () => {
    const page = renderRunHtml(lossyReport());
    expect(page).toContain('data-field="latencyUs.clockErrorBoundUs"');
    expect(page).toContain('data-field="instances.4.clockErrorBoundUs"');
    expect(page).toMatch(/<td[^>]*>shared<\/td>/);
    const clean = renderRunHtml(sampleReport());
    expect(clean).not.toContain('latencyUs.clockErrorBoundUs');
    expect(clean).not.toContain('clockErrorBoundUs');
  });

  it('puts the verdict and the thresholds first, each threshold with its result', () => {
    const page = renderRunHtml(lossyReport());
    expect(page.indexOf('id="verdict"')).toBeLessThan(page.indexOf('id="thresholds"'));
    expect(page.indexOf('id="thresholds"')).toBeLessThan(page.indexOf('id="headline"'));
    expect(page).toContain('3 of 4 thresholds failed; the run was interrupted');
    expect(page.match(/<td class="status-fail">FAIL<\/td>/g)).toHaveLength(3);
  });

  it('escapes every text from the report, so a driver name or a problem cannot add markup or script', () => {
    const report = lossyReport();
    report.run.driver.name = '<img src=x onerror="alert(1)">';
    report.run.driver.description = "it's </script><script>alert(2)</script>";
    report.problems = [{ message: '<b>bold</b> & </style>' }];
    const page = renderRunHtml(report);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>bold</b>');
    expect(page).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(page).toContain('it&#39;s &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // The data block, the library and the page's script: no other.
    expect(page.match(/<script/g)).toHaveLength(3);
    expect(jsonForScript({ text: '</script><!--' })).toBe('{"text":"\\u003c/script\\u003e\\u003c!--"}');
  });

  it('fetches nothing: a policy that forbids the network, and no address outside the file', () => {
    const page = renderRunHtml(faultReport());
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">`);
    expect(PAGE_CSP).toMatch(/^default-src 'none';/);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<(link|img|iframe)[^>]* (href|src)="(?!data:)/);
    // uPlot inlined whole, its banner without the project's web address.
    expect(page).toContain('/*! uPlot v1.6.32 (MIT License');
    expect(page).toMatch(/var uPlot=function\(\)/);
  });

  it('draws latency by percentile from the encoded histograms, on 1 / (1 - p) up to 99.999%', () => {
    const report = withHistograms(sampleReport());
    const spectrum = latencySpectrum(report);
    const chart = spectrum.chart;
    expect(spectrum.notes).toEqual([]);
    expect(chart?.xKind).toBe('percentile');
    expect(chart?.x[0]).toBe(1);
    expect(chart?.x.at(-1)).toBeCloseTo(100_000, 3);
    expect(chart?.series.map((series) => series.label)).toEqual(['from intended time', 'transit']);
    const recorder = LatencyRecorder.decode(report.histograms.latencyUs);
    // Each point is the histogram's value at the percentile its x stands for.
    const percentiles = chart?.x.map((x) => 100 - 100 / x) ?? [];
    expect(percentiles.filter((p) => p >= 98.4 && p <= 99.25).map((p) => Number(p.toFixed(5)))).toEqual([
      98.4375, 98.59375, 98.75, 98.90625, 99.0625, 99.21875,
    ]);
    expect(chart?.series[0]?.values).toEqual(percentiles.map((p) => recorder.percentileUs(Math.min(100, p))));
    expect(chart?.series[1]?.values.at(-1)).toBe(1_000);
  });

  it('says why there is no spectrum when a histogram cannot be read', () => {
    const spectrum = latencySpectrum(sampleReport());
    expect(spectrum.chart).toBeUndefined();
    expect(spectrum.notes[0]).toMatch(/^from intended time: its histogram could not be read/);
    expect(renderRunHtml(sampleReport())).toContain('No latency spectrum: from intended time: its histogram');
  });

  it('shades the warm-up and each fault, marks the measured window, and plots each second at its middle', () => {
    const report = faultReport();
    const [latency, throughput, ...resources] = timeCharts(report.timeSeries);
    expect(latency?.x[0]).toBe(-4.5);
    expect(latency?.xRange).toEqual([-5, 30]);
    expect(latency?.bands).toEqual([
      { fromX: -5, toX: 0, label: 'warm-up', kind: 'warmup' },
      { fromX: 10.001, toX: 10.067, label: 'kill-subscribers', kind: 'fault' },
      { fromX: 20, toX: 20.004, label: 'kill-worker', kind: 'fault' },
    ]);
    expect(latency?.markers).toEqual([
      { x: 0, label: 'measured' },
      { x: 30, label: 'end' },
    ]);
    expect(latency?.series.map((series) => series.label)).toEqual(['p50', 'p99', 'max', 'transit p99']);
    expect(latency?.series[2]?.values[report.timeSeries.fleet.tMs.indexOf(11_000)]).toBe(66_000);
    const lost = throughput?.series.find((series) => series.label.startsWith('lost'));
    expect(lost?.rightAxis).toBe(true);
    expect(lost?.values.reduce((sum: number, value) => sum + (value ?? 0), 0)).toBe(6);
    expect(resources.map((chart) => chart.id)).toEqual(['cpu-over-time', 'rss-over-time', 'event-loop-over-time']);
    expect(resources[1]?.series[0]?.values[0]).toBe(84);
    const data = pageData(renderRunHtml(report));
    expect(data.charts.map((chart) => chart.id)).toEqual([
      'latency-over-time',
      'throughput-over-time',
      'cpu-over-time',
      'rss-over-time',
      'event-loop-over-time',
    ]);
  });

  it('highlights the cells of the matrix that lost events, and lists only those pairs in a large fleet', () => {
    const page = renderRunHtml(lossyReport());
    expect(page.match(/<td class="num lost">/g)).toHaveLength(2);
    const big = sampleReport();
    const procs = MATRIX_FULL_MAX + 1;
    big.matrix = sampleMatrix(procs, 100, [{ sender: 7, receiver: 40, seqFrom: 3, seqTo: 4, count: 2 }]);
    const { body } = runPageParts(big);
    expect(body.markup).toContain(`${procs} instances: the 1 pairs that lost events.`);
    expect(body.markup).toContain('data-field="matrix.lost.7.40" data-value="2"');
    expect(body.markup).not.toContain('matrix.lost.0.1"');
  });

  it('renders a schema 2 report with what it has, saying the charts and matrix need a re-run', () => {
    const { timeSeries: _series, matrix: _matrix, ...rest } = withHistograms(lossyReport());
    const old: ReportV2 = { ...rest, schemaVersion: 2 };
    const page = renderResultHtml({ kind: 'run', path: 'old.json', report: old });
    expect(page).toContain(SCHEMA_2_NOTICE.replace(/'/g, '&#39;'));
    expect(pageData(page).charts.map((chart) => chart.id)).toEqual(['latency-spectrum']);
    expect(figureMismatches(figuresInHtml(page), JSON.parse(JSON.stringify(old)))).toEqual([]);
    expect(page).toContain('id="instances-table"');
  });
});

describe('the HTML page of a bench or find-max result', () => {
  it('shows the drivers side by side, every median and span as the JSON has it, names escaped', () => {
    const doc = driversBench();
    const page = renderBenchHtml(doc);
    expect(figureMismatches(figuresInHtml(page), JSON.parse(JSON.stringify(doc)))).toEqual([]);
    const fields = figuresInHtml(page).map((figure) => figure.field);
    expect(fields).toContain('drivers.drivers.2.figures.latencyP99Us.median');
    expect(fields).toContain('drivers.drivers.2.figures.latencyP99Us.max');
    expect(fields).toContain('runs.8.figures.cpuUsPerDelivered');
    expect(page).toContain('&lt;b&gt;socketio&lt;/b&gt;');
    expect(page).not.toContain('<b>socketio</b>');
    expect(pageData(page).charts).toEqual([]);
  });

  it('plots each driver find-max as latency against offered rate, with the SLO line', () => {
    const doc = driversFindMaxBench();
    const page = renderBenchHtml(doc);
    expect(figureMismatches(figuresInHtml(page), JSON.parse(JSON.stringify(doc)))).toEqual([]);
    const [curve] = pageData(page).charts;
    const rates = doc.findMaxDrivers!.drivers.flatMap((entry) =>
      entry.result!.steps.map((step) => step.rateEventsPerSec),
    );
    expect(curve?.x).toEqual([...new Set(rates)].sort((a, b) => a - b));
    expect(curve?.xKind).toBe('rate');
    // JSON from before steps carried p50: one p99 curve per driver, and the SLO.
    expect(curve?.series.map((series) => series.label)).toEqual([
      'raw p99',
      'evbridge p99',
      'evbridge-coalesced p99',
      'socketio p99',
      'socketio-streams p99',
      'SLO: p99 below',
    ]);
    const coalesced = curve?.series[2];
    expect(coalesced?.values[curve!.x.indexOf(64_000)]).toBe(18_111);
    expect(coalesced?.values[curve!.x.indexOf(14_500)]).toBeNull();
    expect(coalesced?.spanGaps).toBe(true);
    expect(curve?.series.at(-1)?.values.every((value) => value === 10_000)).toBe(true);
    expect(page).toContain('data-field="findMaxDrivers.drivers.2.result.maxRateEventsPerSec" data-value="33000"');
  });

  it('plots p50 beside p99 when the steps carry it, and leaves steps that could not run off the curve', () => {
    const doc = findMaxDocument();
    const page = renderFindMaxHtml(doc);
    expect(figureMismatches(figuresInHtml(page), JSON.parse(JSON.stringify(doc)))).toEqual([]);
    expect(pageData(page).charts[0]?.series.map((series) => series.label)).toEqual([
      'evbridge-coalesced p99',
      'evbridge-coalesced p50',
      'SLO: p99 below',
    ]);
    expect(page).toContain('data-field="steps.11.p50Us"');
    const unrun = {
      ...doc,
      steps: [...doc.steps, { ...doc.steps[0]!, rateEventsPerSec: 70_000, reasons: ['could not be run: boom'] }],
    };
    expect(findMaxCurve('c', [{ name: 'x', result: unrun }], doc.slo)?.x).not.toContain(70_000);
    expect(findMaxCurve('c', [{ name: 'x', result: null }], doc.slo)).toBeUndefined();
  });

  it('renders a pairs bench from its summary tables', () => {
    const doc: BenchDocument = { ...driversBench(), mode: 'pairs', drivers: null };
    const page = renderResultHtml({ kind: 'bench', path: 'b.json', bench: doc });
    expect(page).toContain('evbridge bench: floor, raw and bridge');
    expect(page).toContain('id="runs-table"');
  });
});
