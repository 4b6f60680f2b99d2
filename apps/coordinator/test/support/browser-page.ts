// Headless Chromium helpers shared by the browser tests: open a page and note what it did, read its figures and chart
// data, count a chart canvas's pixels of given colours, assert every chart was drawn.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { findChromium, inCi, NO_CHROMIUM } from './chromium.js';
import type { PageData } from '../../src/html/page-data.js';
import type { PageFigure } from './page-figures.js';

/**
 * Launches headless Chromium before the file's tests and closes it after; the getter returns undefined where there is
 * none (the tests then skip with NO_CHROMIUM), and in CI a missing Chromium fails the file instead.
 */
export function useBrowser(): () => Browser | undefined {
  let browser: Browser | undefined;
  beforeAll(async () => {
    const executablePath = findChromium();
    if (executablePath === undefined) {
      if (inCi()) throw new Error(NO_CHROMIUM);
      return;
    }
    browser = await chromium.launch({ executablePath });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser;
}

/** What a page did while it loaded: console errors, uncaught errors, every request. */
export interface Visit {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

export async function visit(browser: Browser, url: string, javaScriptEnabled = true): Promise<Visit> {
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
  await page.goto(url, { waitUntil: 'load' });
  return seen;
}

/** The page data block, as the page's script reads it. */
export async function chartsOf(page: Page): Promise<PageData['charts']> {
  const text = await page.locator('#report-data').textContent();
  return (JSON.parse(text ?? '{}') as PageData).charts;
}

/** Every figure element: field, raw value, unit and the text shown. */
export async function figuresOf(page: Page): Promise<PageFigure[]> {
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
export async function canvasPixels(page: Page, chartId: string, colors: readonly string[]): Promise<number[]> {
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
export async function expectChartsDrawn(page: Page): Promise<PageData['charts']> {
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

export function expectClean(seen: Visit, requests: string[]): void {
  expect(seen.consoleErrors).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.requests).toEqual(requests);
}
