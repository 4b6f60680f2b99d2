// The HTML report as a person sees it, in headless Chromium: a real 3-process run's page (with a fault) and the
// fixtures' pages open from disk with no console error, no page error and no request but the file itself, every
// chart drawn on its canvas, every figure on the page equal to the JSON's; with JavaScript off, the tables are there.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { canvasPixels, expectChartsDrawn, expectClean, figuresOf, visit } from './support/browser-page.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBenchHtml } from '../src/html/bench/bench-page.js';
import { renderFindMaxHtml } from '../src/html/bench/find-max-page.js';
import { renderRunHtml } from '../src/html/run/run-page.js';
import type { Report } from '../src/model/report.js';
import { findChromium, inCi, NO_CHROMIUM } from './support/chromium.js';
import { startHarness } from './support/harness-cli.js';
import { figureMismatches } from './support/page-figures.js';
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

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
}

describe('the HTML report in headless Chromium', () => {
  it('shows a real run with a fault: no error, no request, every chart drawn, every figure as in the JSON', async (context) => {
    if (browser === undefined || run === undefined) return context.skip(NO_CHROMIUM);
    const seen = await visit(browser, pathToFileURL(run.htmlPath).href);
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
    expectClean(seen, [pathToFileURL(run.htmlPath).href]);
    await page.context().close();
  });

  it('keeps every table and figure with JavaScript off; the charts say they need it', async (context) => {
    if (browser === undefined || run === undefined) return context.skip(NO_CHROMIUM);
    const seen = await visit(browser, pathToFileURL(run.htmlPath).href, false);
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
    expectClean(seen, [pathToFileURL(run.htmlPath).href]);
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
    const seen = await visit(browser, pathToFileURL(path).href);
    const charts = await expectChartsDrawn(seen.page);
    expect(charts.length).toBeGreaterThan(0);
    expect(figureMismatches(await figuresOf(seen.page), JSON.parse(JSON.stringify(source())))).toEqual([]);
    await screenshot(seen.page, file.replace(/\.html$/, '.png'));
    expectClean(seen, [pathToFileURL(path).href]);
    await seen.page.context().close();
  });
});
