#!/usr/bin/env node
// `pnpm samples`: re-takes the README's sample report and docs/report.md's example JSON from one real run, on a quiet
// machine, and rewrites both between their markers. Generated text is never edited by hand: run this instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const COMMAND = ['--procs=5', '--rate=1000', '--duration=10s'];
const QUIET_LOAD = 0.5;
const QUIET_WAIT_MS = 10 * 60_000;

function fail(message) {
  process.stderr.write(`take-samples: ${message}\n`);
  process.exit(2);
}

/** Replaces what lies between `<!-- name:begin -->` and `<!-- name:end -->` in `path`. */
function replaceBlock(path, name, text) {
  const file = join(ROOT, path);
  const source = readFileSync(file, 'utf8');
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = source.indexOf(begin);
  const to = source.indexOf(end);
  if (from < 0 || to < from) fail(`${path} has no ${begin} ... ${end} block`);
  writeFileSync(file, `${source.slice(0, from + begin.length)}\n${text}\n${source.slice(to)}`);
}

async function waitForQuiet() {
  const startedMs = Date.now();
  while (loadavg()[0] >= QUIET_LOAD) {
    if (Date.now() - startedMs > QUIET_WAIT_MS) fail(`load average stayed at or above ${QUIET_LOAD} for 10 minutes`);
    process.stderr.write(`take-samples: load average ${loadavg()[0].toFixed(2)}, waiting for < ${QUIET_LOAD}\n`);
    await new Promise((done) => setTimeout(done, 15_000));
  }
  return loadavg()[0];
}

/** `text` as lines of at most `width` characters, broken between words (a longer word stands on its own line). */
function wrap(text, width = 118) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** JSON as `JSON.stringify(value, null, 2)` would, except arrays of numbers and nulls, which stay on one line. */
function stringify(value, indent = '') {
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object'))
      return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    const inner = `${indent}  `;
    return `[\n${value.map((item) => `${inner}${stringify(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(
      ([key, child]) => `${inner}${JSON.stringify(key)}: ${stringify(child, inner)}`,
    );
    return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The example's abbreviations, each said in the text above it. */
function abbreviate(report) {
  const copy = structuredClone(report);
  copy.instances = copy.instances.slice(0, 1);
  copy.timeSeries.instances = copy.timeSeries.instances.slice(0, 1);
  for (const key of Object.keys(copy.histograms)) copy.histograms[key] = `${copy.histograms[key].slice(0, 24)}...`;
  return copy;
}

const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
if (dirty.trim() !== '') fail('commit first: the samples name the commit they were taken at');
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
execFileSync('pnpm', ['build'], { cwd: ROOT, stdio: 'ignore' });
const load = await waitForQuiet();
const dir = mkdtempSync(join(tmpdir(), 'evbridge-samples-'));
try {
  const jsonPath = join(dir, 'report.json');
  const run = spawnSync(process.execPath, ['apps/coordinator/dist/main.js', ...COMMAND, '--json', jsonPath], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  if (run.status !== 0) fail(`the run exited ${run.status}: ${run.stderr.trim().split('\n').at(-1)}`);
  const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const where = `a Linux machine with ${cpus().length} cores, Node ${report.run.nodeVersion}, Redis ${report.run.redis.version}`;
  const command = `pnpm harness ${COMMAND.join(' ')}`;
  replaceBlock(
    'README.md',
    'sample:report',
    [
      wrap(
        `Taken by \`pnpm samples\` on ${where} as the private \`redis-server\` the harness started (load average ${load.toFixed(2)} before the run), at commit ${commit}: \`${command} --json /tmp/readme-report.json 2>/dev/null\` printed this on stdout and exited 0:`,
      ),
      '',
      '```text',
      run.stdout.trimEnd(),
      '```',
    ].join('\n'),
  );
  const lengths = Object.values(report.histograms).map((text) => text.length);
  replaceBlock(
    'docs/report.md',
    'sample:json',
    [
      wrap(
        `From the run shown in the [README](../README.md#a-real-report) (\`${command} --json /tmp/readme-report.json\`, taken by \`pnpm samples\` on ${where}, commit ${commit}). Abbreviated: instances 1 to ${report.instances.length - 1} are left out of \`instances\` and \`timeSeries.instances\`, and each histogram string is cut after 24 characters, marked \`...\` (the real ones are ${Math.min(...lengths).toLocaleString('en-US')} to ${Math.max(...lengths).toLocaleString('en-US')} characters long). Arrays of numbers are shown on one line.`,
      ),
      '',
      '```json',
      stringify(abbreviate(report)),
      '```',
    ].join('\n'),
  );
  process.stdout.write(`take-samples: README.md and docs/report.md re-taken at ${commit} (load ${load.toFixed(2)})\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
