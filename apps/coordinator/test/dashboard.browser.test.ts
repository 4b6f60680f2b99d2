// The live dashboard as a person sees it, in headless Chromium: a real 3-process run with --dashboard=0 and a fault.
// While it runs, the page draws its charts and its figures move once a second; when it ends, the page loads the final
// report by itself, whose every figure equals the JSON the run wrote. No console error, no request off its origin.
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { expectChartsDrawn, figuresOf, useBrowser, visit } from './support/browser-page.js';
import { NO_CHROMIUM } from './support/chromium.js';
import { isAlive, startHarness } from './support/harness-cli.js';
import { figureMismatches } from './support/page-figures.js';
import { useTempDir } from './support/temp-dir.js';

const SCREENSHOT_DIR = join(tmpdir(), 'evbridge-html-report');
const tempDir = useTempDir('evbridge-dashboard-');

const currentBrowser = useBrowser();

/** Resolves with the dashboard's address once the harness prints it on stderr. */
function dashboardUrl(run: ReturnType<typeof startHarness>): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no dashboard address within 30 s:\n${text}`)), 30_000);
    run.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const url = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
}

describe('the live dashboard in headless Chromium', () => {
  it('follows a real run second by second, then shows its final report, equal to the JSON', async (context) => {
    const browser = currentBrowser();
    if (browser === undefined) return context.skip(NO_CHROMIUM);
    const jsonPath = join(tempDir(), 'run.json');
    const run = startHarness([
      '--procs=3',
      '--duration=6s',
      '--warmup=1s',
      '--rate=300',
      '--fault=kill-subscribers@2s',
      '--dashboard=0',
      `--json=${jsonPath}`,
    ]);
    const url = await dashboardUrl(run);
    const seen = await visit(browser, url);
    const { page } = seen;
    await mkdir(SCREENSHOT_DIR, { recursive: true });

    // Live: the charts are drawn from the stream, and the clock on the page moves on.
    await expect.poll(() => page.locator('#verdict[data-live="true"]').count(), { timeout: 15_000 }).toBe(1);
    const atMs = () => page.locator('[data-field="live.atMs"]').first().getAttribute('data-value').then(Number);
    const firstAtMs = await atMs();
    await expect.poll(atMs, { timeout: 5_000 }).toBeGreaterThan(firstAtMs + 900);
    await expect
      .poll(() => page.locator('[data-field="live.latencySoFarUs.count"]').getAttribute('data-value').then(Number), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    // Two measured seconds in, every live chart has lines to draw.
    await expect.poll(atMs, { timeout: 10_000 }).toBeGreaterThan(2_500);
    const liveCharts = await expectChartsDrawn(page);
    expect(liveCharts.map((chart) => chart.id)).toContain('latency-over-time');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-live.png') });

    // The end: the page loads the final report without being told to.
    await expect.poll(() => page.locator('#verdict .word').textContent(), { timeout: 30_000 }).toMatch(/^(PASS|FAIL)$/);
    const result = await run;
    expect([0, 1], result.stderr).toContain(result.exitCode);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(await page.locator('#verdict .word').textContent()).toBe(report.passed ? 'PASS' : 'FAIL');
    const finalCharts = await expectChartsDrawn(page);
    expect(finalCharts.map((chart) => chart.id)).toContain('latency-spectrum');
    const figures = await figuresOf(page);
    expect(figures.length).toBeGreaterThan(100);
    expect(figureMismatches(figures, report)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-final.png'), fullPage: true });

    expect(seen.consoleErrors).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    // Only its own origin: the page (before measuring, live, then the final report) and the event stream.
    const origin = new URL(url).origin;
    expect(seen.requests.filter((request) => new URL(request).origin !== origin)).toEqual([]);
    expect(seen.requests.filter((request) => request === url).length).toBeGreaterThanOrEqual(2);
    expect(seen.requests).toContain(`${origin}/events`);
    // The server is gone with the harness: nothing listens on its port any more.
    expect(isAlive(run.pid ?? 0)).toBe(false);
    await expect(fetch(url)).rejects.toThrow();
    await page.context().close();
  }, 90_000);
});
