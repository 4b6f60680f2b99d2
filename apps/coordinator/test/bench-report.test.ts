import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandLine, type BenchDocument } from '../src/bench/bench-document.js';
import {
  BENCHMARKS_PREAMBLE,
  appendBenchmarksSection,
  asMarkdown,
  renderBenchmarksSection,
} from '../src/bench/benchmarks-md.js';
import { fitTable, sweepTable } from '../src/bench/cells.js';
import { BENCH_METRIC_KEYS, type RunFigures } from '../src/bench/metrics.js';
import { renderBench } from '../src/bench/render.js';
import type { BenchRun } from '../src/bench/run-pairs.js';
import { summarizeBench } from '../src/bench/summarize.js';
import { fitSweep } from '../src/bench/sweep-fit.js';
import { describeRevision } from '../src/bench/source-revision.js';
import { useTempDir } from './support/temp-dir.js';

function figures(values: Partial<RunFigures>): RunFigures {
  const all = Object.fromEntries(BENCH_METRIC_KEYS.map((key) => [key, null])) as RunFigures;
  return { ...all, deliveryRatio: 1, ...values };
}

function benchRun(procs: number, pair: number, transport: 'raw' | 'bridge', values: Partial<RunFigures>): BenchRun {
  return {
    order: 0,
    procs,
    pair,
    transport,
    pacer: 'open-loop',
    outcome: 'complete',
    exitCode: 0,
    error: undefined,
    runId: 'r',
    startedAt: '2025-01-02T03:04:05.000Z',
    pids: [1, 2],
    redisVersion: '7.0.15',
    failedThresholds: [],
    cpuMethod: 'cpuPercent',
    foreignCores: null,
    figures: figures(values),
  };
}

/** p99 = 1000 + 500 N (bridge), 800 + 400 N (raw); CPU per event = 100 + 20 N (bridge), 90 + 18 N (raw): exact lines. */
function sweepRuns(counts: number[]): BenchRun[] {
  return counts.flatMap((n) => [
    benchRun(n, 1, 'raw', { latencyP99Us: 800 + 400 * n, cpuUsPerDelivered: 90 + 18 * n, latencyP50Us: 1000 }),
    benchRun(n, 1, 'bridge', { latencyP99Us: 1000 + 500 * n, cpuUsPerDelivered: 100 + 20 * n, latencyP50Us: 900 }),
  ]);
}

function doc(overrides: Partial<BenchDocument>): BenchDocument {
  return {
    schemaVersion: 1,
    mode: 'pairs',
    complete: true,
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:05:05.000Z',
    command: 'pnpm bench --pairs=1',
    machine: {
      cpuModel: 'Test CPU @ 2GHz',
      cores: 2,
      totalMemoryBytes: 8 * 2 ** 30,
      nodeVersion: 'v20.20.2',
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.1.0-test',
      arch: 'x64',
      hostname: 'box',
    },
    revision: { commit: '0123456789abcdef0123', uncommittedFiles: 2 },
    loadAverage: { start: [0.1, 0.2, 0.3], end: [0.9, 0.5, 0.4] },
    quiet: { threshold: 0.5, allowLoad: false, startLoad: 0.1, waitedMs: 0, foreignCoresMax: 0.04, underLoad: false },
    redis: { version: '7.0.15', private: true },
    settings: {
      procsList: [5],
      rateEventsPerSec: 1000,
      durationMs: 10_000,
      warmupMs: 3_000,
      pairs: 1,
      payloadBytes: 256,
      pacer: 'open-loop',
    },
    cpuMethod: 'cpu method text',
    ipcMethod: 'ipc method text',
    runs: [],
    summary: [],
    sweepFits: null,
    findMax: null,
    ...overrides,
  };
}

describe('the sweep fit', () => {
  const summaries = summarizeBench(sweepRuns([2, 5, 10, 20]), [2, 5, 10, 20], 1, 'open-loop');
  const fits = fitSweep(summaries);

  it('fits p99 and CPU per delivered event against N for bridge and raw', () => {
    const bridgeP99 = fits.find((fit) => fit.metric === 'latencyP99Us' && fit.transport === 'bridge');
    expect(bridgeP99?.points).toEqual([
      [2, 2000],
      [5, 3500],
      [10, 6000],
      [20, 11000],
    ]);
    expect(bridgeP99?.fit?.slope).toBeCloseTo(500, 9);
    expect(bridgeP99?.fit?.intercept).toBeCloseTo(1000, 9);
    expect(bridgeP99?.fit?.r2).toBeCloseTo(1, 12);
    const rawCpu = fits.find((fit) => fit.metric === 'cpuUsPerDelivered' && fit.transport === 'raw');
    expect(rawCpu?.fit?.slope).toBeCloseTo(18, 9);
    expect(rawCpu?.fit?.intercept).toBeCloseTo(90, 9);
  });

  it('has no line through fewer than two process counts', () => {
    const single = fitSweep(summarizeBench(sweepRuns([5]), [5], 1, 'open-loop'));
    expect(single.every((fit) => fit.fit === null)).toBe(true);
  });

  it('tabulates the fits with slope, intercept and r^2', () => {
    const table = fitTable(fits);
    expect(table.headers).toEqual(['fit against N', 'run', 'slope per process', 'intercept', 'r^2', 'points']);
    expect(table.rows[0]).toEqual(['latency from intended p99 (us)', 'bridge', '500.0', '1,000.0', '1.000', '4']);
    expect(table.rows.find((row) => row[0]?.startsWith('worker CPU') && row[1] === 'raw')).toEqual([
      'worker CPU per delivered event (us)',
      'raw',
      '18.0',
      '90.0',
      '1.000',
      '4',
    ]);
  });

  it('prints raw, bridge and bridge/raw rows per process count', () => {
    const table = sweepTable(summaries);
    expect(table.rows).toHaveLength(12);
    const p99 = table.headers.indexOf('p99 us');
    expect(table.rows[0]?.slice(0, 3)).toEqual(['2', '1/1', 'raw']);
    expect(table.rows[0]?.[p99]).toBe('1,600');
    expect(table.rows[1]?.[p99]).toBe('2,000');
    expect(table.rows[2]?.[p99]).toBe('1.25');
  });
});

describe('the BENCHMARKS.md section', () => {
  it('names the date, the command, the machine, and has the summary as a table', () => {
    const runs = [
      benchRun(5, 1, 'raw', { latencyP50Us: 1000, latencyP99Us: 8000 }),
      benchRun(5, 1, 'bridge', { latencyP50Us: 600, latencyP99Us: 6000 }),
    ];
    const text = renderBenchmarksSection(doc({ runs, summary: summarizeBench(runs, [5], 1, 'open-loop') }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('## 2025-01-02 03:04 UTC: `pnpm bench --pairs=1`');
    expect(text).toContain(
      '2 x Test CPU @ 2GHz, 8.0 GiB, Debian GNU/Linux 12 (bookworm), kernel 6.1.0-test, Node v20.20.2, Redis 7.0.15',
    );
    expect(text).toContain('**load average (1m 5m 15m)**: 0.10 0.20 0.30 at start, 0.90 0.50 0.40 at end');
    expect(text).toContain('- **code**: commit 0123456789ab + 2 uncommitted files in apps/, packages/');
    expect(text).toContain('cpu method text');
    expect(text).toContain('ipc method text');
    expect(text).toContain('> note: 1 pair per process count (fewer than 3)');
    expect(lines).toContain('| metric | raw | bridge | bridge/raw |');
    expect(lines).toContain('| :--- | ---: | ---: | ---: |');
    expect(lines).toContain('| latency from intended p50 (us) | 1,000 | 600 | 0.60 |');
    expect(lines).toContain('| latency from intended p99 (us) | 8,000 | 6,000 | 0.75 |');
    expect(text).not.toContain('cpu us/ev');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('holds the sweep table and the fits for a sweep', () => {
    const runs = sweepRuns([2, 5]);
    const summary = summarizeBench(runs, [2, 5], 1, 'open-loop');
    const text = renderBenchmarksSection(
      doc({
        mode: 'sweep',
        runs,
        summary,
        sweepFits: fitSweep(summary),
        settings: { ...doc({}).settings, procsList: [2, 5] },
      }),
    );
    expect(text).toContain('| N | pairs | run | p50 us | p99 us |');
    expect(text).toContain('| latency from intended p99 (us) | bridge | 500.0 | 1,000.0 | 1.000 | 2 |');
    expect(text).toContain('2,5 procs');
  });

  it('a find-max section names the step timing and the start rate, and has no run-figure methods (it has no runs)', () => {
    const step = {
      passed: true,
      reasons: [],
      deliveryRatio: 1,
      p99Us: 900,
      publishedEventsPerSec: 1000,
      lost: 0,
      durationMs: 7000,
    };
    const result = (transport: 'floor' | 'raw' | 'bridge', max: number) => ({
      maxRateEventsPerSec: max,
      steps: [{ ...step, rateEventsPerSec: max }],
      slo: { minDeliveryRatio: 1, maxP99Us: 10_000, minPublishRatio: 0.97 },
      transport,
      procs: 5,
    });
    const section = renderBenchmarksSection(
      doc({
        mode: 'find-max',
        command: 'pnpm bench --find-max',
        settings: {
          procsList: [5],
          rateEventsPerSec: 1000,
          durationMs: 5_000,
          warmupMs: 2_000,
          pairs: 3,
          payloadBytes: 256,
          pacer: 'open-loop',
        },
        findMax: {
          floor: result('floor', 20_000),
          raw: result('raw', 18_000),
          bridge: result('bridge', 9_000),
          rawToFloor: 0.9,
          ratio: 0.5,
          stopped: null,
        },
      }),
    );
    expect(section).toContain('1,000 events/s total to start');
    expect(section).toContain('find-max: floor, raw, then bridge, each step 5s measured after 2s warmup');
    expect(section).not.toContain('cpu method text');
    expect(section).not.toContain('ipc method text');
    expect(section).toContain('floor (no harness) search:');
    expect(section).toContain(
      '**Max sustainable rate**: floor 20000 events/s, raw/floor 0.90, raw 18000 events/s, bridge 9000 events/s, bridge/raw **0.50**',
    );
  });

  it('escapes pipes in markdown cells', () => {
    expect(asMarkdown({ headers: ['a', 'b'], rows: [['x|y', '1']] })).toEqual([
      '| a | b |',
      '| :--- | ---: |',
      '| x\\|y | 1 |',
    ]);
  });

  it('renders the same data for the terminal, with the incomplete runs named', () => {
    const runs: BenchRun[] = [
      benchRun(5, 1, 'raw', { latencyP50Us: 1000 }),
      { ...benchRun(5, 1, 'bridge', {}), outcome: 'failed', exitCode: 2, error: 'worker 2 exited', figures: null },
    ];
    const text = renderBench(doc({ runs, summary: summarizeBench(runs, [5], 1, 'open-loop'), complete: false }));
    expect(text.split('\n')[0]).toContain('(INCOMPLETE)');
    expect(text).toContain('over 0 of 1 pairs');
    expect(text).toContain(
      'run 0 (bridge, open-loop pacer, 5 procs, pair 1): failed: worker 2 exited (left out of the summary)',
    );
  });
});

describe('appendBenchmarksSection', () => {
  const tempDir = useTempDir('evbridge-bench-md-');

  it('creates the file with its preamble, then appends after a blank line', async () => {
    const path = join(tempDir(), 'BENCHMARKS.md');
    await appendBenchmarksSection(path, '## one\n');
    expect(await readFile(path, 'utf8')).toBe(`${BENCHMARKS_PREAMBLE}\n## one\n`);
    await appendBenchmarksSection(path, '## two\n');
    expect(await readFile(path, 'utf8')).toBe(`${BENCHMARKS_PREAMBLE}\n## one\n\n## two\n`);
  });

  it('rewrites an outdated preamble of its own, keeping every section', async () => {
    const path = join(tempDir(), 'old.md');
    await writeFile(path, '# evbridge benchmarks\n\nAn older preamble.\n\n## one\nfigures\n');
    await appendBenchmarksSection(path, '## two\n');
    expect(await readFile(path, 'utf8')).toBe(`${BENCHMARKS_PREAMBLE}\n## one\nfigures\n\n## two\n`);
  });

  it('keeps what a person wrote in the file, even without a final newline', async () => {
    const path = join(tempDir(), 'edited.md');
    await writeFile(path, '# mine\n\nnotes');
    await appendBenchmarksSection(path, '## three\n');
    expect(await readFile(path, 'utf8')).toBe('# mine\n\nnotes\n\n## three\n');
  });
});

describe('commandLine', () => {
  it('shows pnpm bench when run by the script, and quotes what the shell would split', () => {
    expect(commandLine(['--procs=2,5', '--json', 'a b.json'], { npm_lifecycle_event: 'bench' })).toBe(
      "pnpm bench --procs=2,5 --json 'a b.json'",
    );
    expect(commandLine([], {})).toBe('node apps/coordinator/dist/bench/main.js');
  });
});

describe('describeRevision', () => {
  it('names the commit, and the uncommitted files measured along with it', () => {
    expect(describeRevision({ commit: 'abcdef0123456789', uncommittedFiles: 0 })).toBe('commit abcdef012345');
    expect(describeRevision({ commit: 'abcdef0123456789', uncommittedFiles: 1 })).toBe(
      'commit abcdef012345 + 1 uncommitted file in apps/, packages/',
    );
    expect(describeRevision({ commit: null, uncommittedFiles: null })).toBe('not a git checkout');
  });
});

describe("the repository's BENCHMARKS.md", () => {
  // Only `pnpm bench` writes it: its preamble, then sections in the generator's shape, each naming how quiet the
  // machine was; a section whose figures say it was not quiet must carry the generated warning.
  const text = readFileSync(fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url)), 'utf8');
  const sections = text
    .slice(BENCHMARKS_PREAMBLE.length)
    .split(/\n(?=## )/)
    .filter((section) => section.trim() !== '');

  it('starts with the generated preamble and holds only generated sections', () => {
    expect(text.startsWith(BENCHMARKS_PREAMBLE)).toBe(true);
    expect(sections.length).toBeGreaterThan(0);
    for (const section of sections) {
      const heading = section.split('\n')[0] ?? '';
      expect(heading, heading).toMatch(/^## \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: `pnpm bench[^`]*`$/);
      for (const field of [
        '- **machine**: ',
        '- **code**: commit ',
        '- **load average (1m 5m 15m)**: ',
        '- **quiet machine**: 1-minute load average ',
      ]) {
        expect(section, `${heading}: ${field}`).toContain(field);
      }
    }
  });

  it('every section measured on a machine that was not quiet keeps its warning', () => {
    for (const section of sections) {
      const quiet =
        /quiet machine\*\*: 1-minute load average ([\d.]+) before the first run.*?at most ([\d.]+) cores/.exec(section);
      expect(quiet, section.split('\n')[0]).not.toBeNull();
      const notQuiet = Number(quiet![1]) >= 0.5 || Number(quiet![2]) >= 0.5;
      if (notQuiet) expect(section).toContain('warning: measured under load');
    }
  });
});
