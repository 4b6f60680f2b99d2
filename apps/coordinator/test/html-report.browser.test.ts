// The HTML report as a person sees it, in headless Chromium: a real 3-process run's page (with a fault) and the
// fixtures' pages open from disk with no console error, no page error and no request but the file itself, every
// chart drawn on its canvas, every figure on the page equal to the JSON's; with JavaScript off, the tables are there.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBenchHtml } from '../src/html/bench/bench-page.js';
import { renderFindMaxHtml } from '../src/html/bench/find-max-page.js';
import type { PageData } from '../src/html/page-data.js';
import { renderRunHtml } from '../src/html/run/run-page.js';
import type { Report } from '../src/model/report.js';
import { findChromium, inCi, NO_CHROMIUM } from './support/chromium.js';
import { startHarness } from './support/harness-cli.js';
import { figureMismatches, type PageFigure } from './support/page-figures.js';
import { useTempDir } from './support/temp-dir.js';
import { driversFindMaxBench, findMaxDocument } from './fixtures/sample-bench.js';
import { faultReport, lossyReport } from './fixtures/sample-report.js';

const CHROMIUM = findChromium();
/** Where the screenshots are kept after the test (overwritten by the next run). */
const SCREENSHOT_DIR = join(tmpdir(), 'evbridge-html-report');
const tempDir = useTempDir('evbridge-browser-');

let browser: Browser | undefined;
/** The real run: its JSON and the page the harness wrote with --html. */
let run: { report: Report; htmlPath: string } | undefined;

beforeAll(async () => {
  if (CHROMIUM === undefined) {
    if (inCi()) throw new Error(NO_CHROMIUM);
    return;
  }
  const jsonPath = join(tempDir(), 'run.json');
  const htmlPath = join(tempDir(), 'run.html');
  const harness = await startHarness([
    '--procs=3',
    '--duration=3s',
    '--warmup=1s',
    '--rate=300',
    '--fault=kill-subscribers@1500ms',
    `--json=${jsonPath}`,
    `--html=${htmlPath}`,
  ]);
  // The page is what is tested, not the verdict: a threshold that fails on a loaded machine still makes a report.
  expect([0, 1], harness.stderr).toContain(harness.exitCode);
  run = { report: JSON.parse(await readFile(jsonPath, 'utf8')) as Report, htmlPath };
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** What a page did while it loaded: console errors, uncaught errors, every request. */
interface Visit {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

async function visit(path: string, javaScriptEnabled = true): Promise<Visit> {
  if (browser === undefined) throw new Error('no browser');
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    deviceScaleFactor: 1,
    javaScriptEnabled,
  });
  const page = await context.newPage();
  const seen: Visit = { page, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  page.on('request', (request) => seen.requests.push(request.url()));
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return seen;
}

/** The page data block, as the page's script reads it. */
async function chartsOf(page: Page): Promise<PageData['charts']> {
  const text = await page.locator('#report-data').textContent();
  return (JSON.parse(text ?? '{}') as PageData).charts;
}

/** Every figure element: field, raw value, unit and the text shown. */
async function figuresOf(page: Page): Promise<PageFigure[]> {
  return page.locator('[data-field][data-value]').evaluateAll((elements) =>
    elements.map((element) => ({
      field: element.getAttribute('data-field') ?? '',
      value: element.getAttribute('data-value') ?? '',
      unit: element.getAttribute('data-unit') ?? '',
      text: (element.textContent ?? '').trim(),
    })),
  );
}

/**
 * Per colour, how many pixels of the chart's canvas are within a small distance of it: `#rrggbb` opaque (a line), or
 * `#rrggbbaa` with that alpha (a translucent band: the canvas is transparent where nothing was drawn).
 */
async function canvasPixels(page: Page, chartId: string, colors: readonly string[]): Promise<number[]> {
  return page.locator(`#chart-${chartId}`).evaluate((host, wanted: string[]) => {
    const canvas = host.querySelector('canvas');
    if (canvas === null) return wanted.map(() => -1);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const rgba = wanted.map((hex) => [1, 3, 5, 7].map((at) => Number.parseInt(hex.slice(at, at + 2) || 'ff', 16)));
    const counts = wanted.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      rgba.forEach(([r = 0, g = 0, b = 0, a = 255], index) => {
        const near =
          Math.abs(data[i] - r) <= 8 &&
          Math.abs(data[i + 1] - g) <= 8 &&
          Math.abs(data[i + 2] - b) <= 8 &&
          (a === 255 ? data[i + 3] >= 200 : Math.abs(data[i + 3] - a) <= 8);
        if (near) counts[index] = (counts[index] ?? 0) + 1;
      });
    }
    return counts;
  }, colors as string[]);
}

/** Asserts the page drew every chart of its data: each has a canvas with pixels of a series that has values. */
async function expectChartsDrawn(page: Page): Promise<PageData['charts']> {
  const charts = await chartsOf(page);
  for (const chart of charts) {
    await expect.poll(() => page.locator(`#chart-${chart.id}`).getAttribute('data-drawn')).toBe('true');
    const plotted = chart.series.filter((series) => series.values.filter((value) => value !== null).length >= 2);
    expect(plotted.length, `${chart.id} has a series to draw`).toBeGreaterThan(0);
    const counts = await canvasPixels(
      page,
      chart.id,
      plotted.map((series) => series.color),
    );
    expect(
      Math.max(...counts),
      `${chart.id}: no pixel of any series colour on its canvas (${counts.join(', ')})`,
    ).toBeGreaterThan(20);
  }
  return charts;
}

function expectClean(seen: Visit, path: string): void {
  expect(seen.consoleErrors).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.requests).toEqual([pathToFileURL(path).href]);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
}

describe('the HTML report in headless Chromium', () => {
  it('shows a real run with a fault: no error, no request, every chart drawn, every figure as in the JSON', async (context) => {
    if (browser === undefined || run === undefined) return context.skip(NO_CHROMIUM);
    const seen = await visit(run.htmlPath);
    const { page } = seen;
    const charts = await expectChartsDrawn(page);
    expect(charts.map((chart) => chart.id)).toEqual([
      'latency-spectrum',
      'latency-over-time',
      'throughput-over-time',
      'cpu-over-time',
      'rss-over-time',
      'event-loop-over-time',
    ]);
    // The fault's span is shaded on the per-second charts: rgba(214, 39, 40, 0.22), alpha 56 of 255.
    expect(charts[1]?.bands?.map((band) => band.label)).toEqual(['warm-up', 'kill-subscribers']);
    const [shade] = await canvasPixels(page, 'latency-over-time', ['#d6272838']);
    expect(shade, 'the fault band is drawn').toBeGreaterThan(50);
    const figures = await figuresOf(page);
    expect(figures.length).toBeGreaterThan(100);
    expect(figureMismatches(figures, run.report)).toEqual([]);
    await expect.poll(() => page.locator('#verdict .word').textContent()).toBe(run.report.passed ? 'PASS' : 'FAIL');
    expect(await page.locator('#faults-table tbody tr').count()).toBe(1);
    await screenshot(page, 'run.png');
    expectClean(seen, run.htmlPath);
    await page.context().close();
  });

  it('keeps every table and figure with JavaScript off; the charts say they need it', async (context) => {
    if (browser === undefined || run === undefined) return context.skip(NO_CHROMIUM);
    const seen = await visit(run.htmlPath, false);
    const { page } = seen;
    for (const table of [
      'thresholds-table',
      'latency-table',
      'delivery-table',
      'instances-table',
      'matrix-table',
      'faults-table',
    ]) {
      expect(await page.locator(`#${table}`).isVisible(), table).toBe(true);
    }
    expect(await page.locator('#instances-table tbody tr').count()).toBe(run.report.instances.length);
    expect(figureMismatches(await figuresOf(page), run.report)).toEqual([]);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.locator('.chart-plot .no-js').count()).toBe(6);
    expectClean(seen, run.htmlPath);
    await page.context().close();
  });

  const fixtures: Array<{ name: string; file: string; render: () => string; source: () => unknown }> = [
    {
      name: 'a lossy run (fixture)',
      file: 'lossy.html',
      render: () => renderRunHtml(lossyReport()),
      source: lossyReport,
    },
    {
      name: 'a run with two faults (fixture)',
      file: 'faults.html',
      render: () => renderRunHtml(faultReport()),
      source: faultReport,
    },
    {
      name: 'a drivers find-max bench',
      file: 'drivers-find-max.html',
      render: () => renderBenchHtml(driversFindMaxBench()),
      source: driversFindMaxBench,
    },
    {
      name: 'a find-max result',
      file: 'find-max.html',
      render: () => renderFindMaxHtml(findMaxDocument()),
      source: findMaxDocument,
    },
  ];

  it.for(fixtures)('shows $name the same way', async ({ file, render, source }, context) => {
    if (browser === undefined) return context.skip(NO_CHROMIUM);
    const path = join(tempDir(), file);
    await writeFile(path, render());
    const seen = await visit(path);
    const charts = await expectChartsDrawn(seen.page);
    expect(charts.length).toBeGreaterThan(0);
    expect(figureMismatches(await figuresOf(seen.page), JSON.parse(JSON.stringify(source())))).toEqual([]);
    await screenshot(seen.page, file.replace(/\.html$/, '.png'));
    expectClean(seen, path);
    await seen.page.context().close();
  });
});
