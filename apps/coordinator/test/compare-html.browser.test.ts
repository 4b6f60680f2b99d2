// The pnpm compare page as a person sees it, in headless Chromium: pages the command wrote with --html (two runs, one
// made slower and with a fault; two drivers benches) open from disk with no console error, no page error and no
// request but the file, every chart drawn with both sides' lines, every figure equal to what --json wrote; with
// JavaScript off, the result, rules and tables are all there.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCompareCommand } from '../src/compare-results/command.js';
import type { Comparison } from '../src/compare-results/comparison.js';
import { BASE_COLOR, NEW_COLOR } from '../src/compare-results/html/compare-charts.js';
import { canvasPixels, expectChartsDrawn, expectClean, figuresOf, useBrowser, visit } from './support/browser-page.js';
import { NO_CHROMIUM } from './support/chromium.js';
import { figureMismatches } from './support/page-figures.js';
import { useTempDir } from './support/temp-dir.js';
import { slowerBench, slowerReport } from './fixtures/compare-inputs.js';
import { driversBench } from './fixtures/sample-bench.js';
import { sampleReport } from './fixtures/sample-report.js';

/** Where the screenshots are kept after the test (overwritten by the next run). */
const SCREENSHOT_DIR = join(tmpdir(), 'evbridge-html-report');
const tempDir = useTempDir('evbridge-compare-browser-');

const currentBrowser = useBrowser();

/** Runs pnpm compare on the two results with --html and --json: the page's path and the comparison JSON. */
async function comparePage(name: string, base: unknown, next: unknown, args: string[]) {
  const [basePath, newPath, htmlPath, jsonPath] = ['base.json', 'new.json', 'compare.html', 'compare.json'].map(
    (file) => join(tempDir(), `${name}-${file}`),
  ) as [string, string, string, string];
  await writeFile(basePath, JSON.stringify(base));
  await writeFile(newPath, JSON.stringify(next));
  let err = '';
  const exitCode = await runCompareCommand([basePath, newPath, ...args, '--html', htmlPath, '--json', jsonPath], {
    out: { write: () => true },
    err: { write: (text: string) => (err += text) },
    color: false,
  });
  expect(err).toBe('');
  const comparison = JSON.parse(await readFile(jsonPath, 'utf8')) as Comparison;
  expect(comparison.exitCode).toBe(exitCode);
  return { url: pathToFileURL(htmlPath).href, comparison };
}

/** The slower run, a block-worker fault marked in its window. */
function slowerWithFault() {
  const report = slowerReport();
  report.timeSeries.marks.faults = [{ kind: 'block-worker', index: 0, fromMs: 10_000, toMs: 12_000 }];
  return report;
}

describe('the compare page in headless Chromium', () => {
  it('shows two runs: REGRESSED, both sides drawn on every chart, the fault shaded, every figure as --json wrote it', async (context) => {
    const browser = currentBrowser();
    if (browser === undefined) return context.skip(NO_CHROMIUM);
    const { url, comparison } = await comparePage('runs', sampleReport(), slowerWithFault(), [
      '--fail-on',
      'p99>+10%',
      '--fail-on',
      'lost>+0',
    ]);
    const seen = await visit(browser, url);
    const { page } = seen;
    const charts = await expectChartsDrawn(page);
    expect(charts.map((chart) => chart.id)).toEqual(['compare-latency', 'compare-delivered']);
    for (const chart of charts) {
      const [base = 0, next = 0] = await canvasPixels(page, chart.id, [BASE_COLOR, NEW_COLOR]);
      expect(base, `${chart.id}: the base's lines`).toBeGreaterThan(20);
      expect(next, `${chart.id}: new's lines`).toBeGreaterThan(20);
    }
    // rgba(214, 39, 40, 0.22): the fault's band, alpha 56 of 255.
    const [shade] = await canvasPixels(page, 'compare-latency', ['#d6272838']);
    expect(shade, 'the fault band is drawn').toBeGreaterThan(50);
    const figures = await figuresOf(page);
    expect(figures.length).toBeGreaterThan(80);
    expect(figureMismatches(figures, comparison)).toEqual([]);
    expect(await page.locator('#verdict .word').textContent()).toBe('REGRESSED');
    expect(await page.locator('#rules-table tbody tr.fail').count()).toBe(1);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compare-runs.png'), fullPage: true });
    expectClean(seen, [url]);
    await page.context().close();
  });

  it('keeps the result, the rules and every table with JavaScript off; the charts say they need it', async (context) => {
    const browser = currentBrowser();
    if (browser === undefined) return context.skip(NO_CHROMIUM);
    const { url, comparison } = await comparePage('runs-no-js', sampleReport(), slowerReport(), [
      '--fail-on',
      'p99>+10%',
    ]);
    const seen = await visit(browser, url, false);
    const { page } = seen;
    for (const id of ['verdict', 'rules-table', 'sides-table', 'settings-table', 'figures-0']) {
      expect(await page.locator(`#${id}`).isVisible(), id).toBe(true);
    }
    expect(await page.locator('#figures-0 tbody tr').count()).toBe(comparison.groups[0]?.metrics.length);
    expect(figureMismatches(await figuresOf(page), comparison)).toEqual([]);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.locator('.chart-plot .no-js').count()).toBe(2);
    expectClean(seen, [url]);
    await page.context().close();
  });

  it('shows two drivers benches: one table per arm, every arm plotted round by round, names as text', async (context) => {
    const browser = currentBrowser();
    if (browser === undefined) return context.skip(NO_CHROMIUM);
    const { url, comparison } = await comparePage('benches', driversBench(), slowerBench(), [
      '--alpha',
      '0.2',
      '--fail-on',
      'p99>+10%',
    ]);
    const seen = await visit(browser, url);
    const { page } = seen;
    const charts = await expectChartsDrawn(page);
    expect(charts.map((chart) => chart.id)).toEqual(['compare-p50', 'compare-p99', 'compare-delivered']);
    expect(figureMismatches(await figuresOf(page), comparison)).toEqual([]);
    expect(await page.locator('#figures h3').allTextContents()).toEqual([
      'raw, 5 procs',
      'evbridge, 5 procs',
      '<b>socketio</b>, 5 procs',
      'Not judged',
    ]);
    expect(await page.locator('#verdict .word').textContent()).toBe('REGRESSED');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compare-benches.png'), fullPage: true });
    expectClean(seen, [url]);
    await page.context().close();
  });
});
