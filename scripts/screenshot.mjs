#!/usr/bin/env node
// `pnpm screenshot`: re-makes docs/images/html-report.png, the README's picture of the HTML report, from a real run
// (5 processes, 10 s, subscribers killed at 5 s so a fault is shaded) opened in headless Chromium at 1200x900.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ROOT, 'docs', 'images', 'html-report.png');
const VIEWPORT = { width: 1200, height: 900 };
const RUN = ['--procs=5', '--duration=10s', '--fault=kill-subscribers@5s'];

const fail = (message) => {
  process.stderr.write(`screenshot: ${message}\n`);
  process.exit(2);
};

/** `chromium` on PATH, else /usr/bin/chromium. */
function findChromium() {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'chromium')),
    '/usr/bin/chromium',
  ];
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const executablePath = findChromium();
if (executablePath === undefined)
  fail('headless Chromium was not found (chromium on PATH or /usr/bin/chromium): apt-get install chromium');

const dir = mkdtempSync(join(tmpdir(), 'evbridge-screenshot-'));
try {
  const htmlPath = join(dir, 'report.html');
  const args = [
    join(ROOT, 'apps/coordinator/dist/main.js'),
    ...RUN,
    `--json=${join(dir, 'report.json')}`,
    `--html=${htmlPath}`,
  ];
  process.stderr.write(`screenshot: node ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, REDIS_URL: '' },
  });
  // 1 is a threshold that failed: the page still shows the run (and says FAIL).
  if (run.status !== 0 && run.status !== 1) fail(`the run did not make a report (exit ${run.status ?? run.signal})`);
  const browser = await chromium.launch({ executablePath });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('[data-chart]:not([data-drawn])').length === 0);
    if (errors.length > 0) fail(`the page reported errors: ${errors.join('; ')}`);
    await page.screenshot({ path: OUTPUT });
  } finally {
    await browser.close();
  }
  const kib = (path) => `${(statSync(path).size / 1024).toFixed(1)} KiB`;
  process.stdout.write(
    `${OUTPUT}: ${VIEWPORT.width}x${VIEWPORT.height}, ${kib(OUTPUT)} (the HTML report: ${kib(htmlPath)})\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
