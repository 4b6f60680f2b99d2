// pnpm report FILE [--html OUT] [--summary-md OUT] [--junit OUT]: the arguments, each kind of result file in the
// terminal and as HTML, a run report's Markdown summary and JUnit XML as the harness writes them, and the one line and
// exit 2 for anything it cannot read, render or write; once through the built entry as a real process.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaNode } from 'execa';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli/options.js';
import { renderSummaryMarkdown } from '../src/markdown/summary-markdown.js';
import type { Report } from '../src/model/report.js';
import { renderJunit } from '../src/render/junit.js';
import { parseReportArgs, type ReportOptions } from '../src/report-command/options.js';
import { runReportCommand } from '../src/report-command/run-report-command.js';
import { SCHEMA_2_NOTICE } from '../src/html/run/run-page.js';
import { driversBench, findMaxDocument } from './fixtures/sample-bench.js';
import { faultReport, lossyReport, sampleReport } from './fixtures/sample-report.js';
import { figureMismatches, figuresInHtml } from './support/page-figures.js';
import { useTempDir } from './support/temp-dir.js';

const REPORT_MAIN = fileURLToPath(new URL('../dist/report-main.js', import.meta.url));
const tempDir = useTempDir('evbridge-report-');

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(tempDir(), name);
  await writeFile(path, JSON.stringify(value, null, 2));
  return path;
}

/** Runs the command in this process, collecting what it prints. */
async function report(inputPath: string, htmlPath?: string, more: Partial<ReportOptions> = {}) {
  let out = '';
  let err = '';
  const exitCode = await runReportCommand(
    { inputPath, htmlPath, summaryMdPath: undefined, junitPath: undefined, ...more },
    { out: { write: (text: string) => (out += text) }, err: { write: (text: string) => (err += text) }, color: false },
  );
  return { exitCode, out, err };
}

describe('pnpm report: the arguments', () => {
  it('takes one file and --html; help wins; anything else is one line naming the fix', () => {
    const none = { htmlPath: undefined, summaryMdPath: undefined, junitPath: undefined };
    expect(parseReportArgs(['r.json', '--html', 'r.html'])).toEqual({
      kind: 'run',
      options: { ...none, inputPath: 'r.json', htmlPath: 'r.html' },
    });
    expect(parseReportArgs(['--html=out/r.html', 'r.json'])).toEqual({
      kind: 'run',
      options: { ...none, inputPath: 'r.json', htmlPath: 'out/r.html' },
    });
    expect(parseReportArgs(['r.json'])).toEqual({ kind: 'run', options: { ...none, inputPath: 'r.json' } });
    expect(parseReportArgs(['r.json', '--summary-md', 'r.md', '--junit=out/r.xml'])).toEqual({
      kind: 'run',
      options: { ...none, inputPath: 'r.json', summaryMdPath: 'r.md', junitPath: 'out/r.xml' },
    });
    const help = parseReportArgs(['--bogus', '-h']);
    expect(help.kind === 'help' && help.text).toMatch(
      /^Usage: pnpm report FILE \[--html OUT\] \[--summary-md OUT\] \[--junit OUT\]/,
    );
    for (const option of ['--html <path>', '--summary-md <path>', '--junit <path>']) {
      expect(help.kind === 'help' && help.text).toContain(option);
    }
    const error = (argv: string[]) => {
      const parsed = parseReportArgs(argv);
      return parsed.kind === 'error' ? parsed.message : undefined;
    };
    expect(error([])).toMatch(/^no result file given: pnpm report FILE \[--html OUT\]/);
    expect(error(['r.json', '--junit='])).toBe('--junit needs a file path: --junit OUT');
    expect(error(['a.json', 'b.json'])).toBe(
      'one result file at a time (got a.json, b.json): run pnpm report once per file',
    );
    expect(error(['r.json', '--pdf', 'x'])).toBe('unknown option --pdf; run with --help to list the options');
    expect(error(['r.json', '--html'])).toMatch(/^--html needs a value: a file path/);
  });
});

describe('pnpm harness --html', () => {
  it('takes the path of a run; a command that makes no run report says how to get its page', () => {
    const run = parseCliArgs(['--procs=3', '--html', 'out/r.html'], {});
    expect(run.kind === 'run' && run.options.htmlPath).toBe('out/r.html');
    const findMax = parseCliArgs(['--find-max', '--html=r.html'], {});
    expect(findMax).toEqual({
      kind: 'error',
      message:
        "--html renders one run's report, which --find-max does not make: drop --html, write --json FILE and render it with pnpm report FILE --html OUT",
    });
    expect(parseCliArgs(['--compare-modes', '--html=r.html'], {}).kind).toBe('error');
  });
});

describe('pnpm report: a result file', () => {
  it('prints a run report as the harness did, and writes it as HTML with the same figures', async () => {
    const json = faultReport();
    const path = await writeJson('run.json', json);
    const printed = await report(path);
    expect(printed.exitCode).toBe(0);
    expect(printed.out).toMatch(/^evbridge harness report: run run-20240611-0932-a1b2\n/);
    expect(printed.out).toContain('RESULT: PASS (3 of 3 thresholds hold)');
    const htmlPath = join(tempDir(), 'pages', 'run.html');
    const written = await report(path, htmlPath);
    expect(written).toMatchObject({ exitCode: 0, err: '' });
    expect(written.out).toMatch(/run\.html: run result of .*run\.json as HTML \(\d+ KiB\)\n$/);
    const page = await readFile(htmlPath, 'utf8');
    expect(figureMismatches(figuresInHtml(page), JSON.parse(JSON.stringify(json)))).toEqual([]);
    expect(page).toContain('kill-subscribers');
  });

  it('prints a schema 2 report with the note that its charts need a re-run', async () => {
    const { timeSeries: _series, matrix: _matrix, ...rest } = sampleReport();
    const printed = await report(await writeJson('old.json', { ...rest, schemaVersion: 2 }));
    expect(printed.exitCode).toBe(0);
    expect(printed.out.trimEnd().endsWith(SCHEMA_2_NOTICE)).toBe(true);
  });

  it('prints and renders a bench result and a find-max result', async () => {
    const bench = await report(await writeJson('bench.json', driversBench()));
    expect(bench.out).toMatch(/^evbridge bench: 5 procs, 1,000 events\/s total/);
    expect(bench.out).toContain('<b>socketio</b>');
    const findMax = await report(await writeJson('find-max.json', findMaxDocument()));
    expect(findMax.out.split('\n')[0]).toMatch(/^find-max: evbridge-coalesced, 5 procs/);
    expect(findMax.out).toContain('max rate: 33,000/s total (6,600/s per process) holds the SLO');
    const htmlPath = join(tempDir(), 'find-max.html');
    expect((await report(await writeJson('fm.json', findMaxDocument()), htmlPath)).exitCode).toBe(0);
    expect(await readFile(htmlPath, 'utf8')).toContain('id="chart-find-max-curve"');
  });

  it('refuses what it cannot read, render or write in one line, with exit 2', async () => {
    const missing = await report(join(tempDir(), 'nope.json'));
    expect(missing).toEqual({
      exitCode: 2,
      out: '',
      err: `evbridge report: ${join(tempDir(), 'nope.json')}: no such file (write one with pnpm harness --json FILE or pnpm bench --json FILE)\n`,
    });
    const future = await report(await writeJson('v9.json', { ...sampleReport(), schemaVersion: 9 }));
    expect(future.err).toMatch(
      /a run report of schema 9, which this build does not read .*re-run it with this checkout's pnpm harness --json FILE\n$/,
    );
    const { latencyUs: _latency, ...broken } = sampleReport();
    const damaged = await report(await writeJson('damaged.json', broken));
    expect(damaged.exitCode).toBe(2);
    expect(damaged.err).toMatch(
      /damaged\.json: a run result that cannot be shown \(.*\): is it a whole file .* Write it again with --json FILE\n$/,
    );
    expect(damaged.err.split('\n')).toHaveLength(2);
    const file = await writeJson('plain.json', sampleReport());
    const unwritable = await report(file, join(file, 'under-a-file.html'));
    expect(unwritable.exitCode).toBe(2);
    expect(unwritable.err).toMatch(
      /^evbridge report: cannot write .*under-a-file\.html \(.*\): give --html a path in a writable directory\n$/,
    );
  });
});

describe("pnpm report: a run report's Markdown summary and JUnit XML", () => {
  /** The XML read back by a parser, each testcase an element of a list. */
  const junitCases = (xml: string): Array<{ name: string; failure?: unknown }> => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => n === 'testcase',
    });
    return parser.parse(xml).testsuites.testsuite.testcase;
  };

  it('writes both as pnpm harness --summary-md and --junit write them, one line each on stdout', async () => {
    const json = JSON.parse(JSON.stringify(lossyReport())) as Report;
    const path = await writeJson('lossy.json', json);
    const summaryMdPath = join(tempDir(), 'out', 'summary.md');
    const junitPath = join(tempDir(), 'out', 'junit.xml');
    const written = await report(path, undefined, { summaryMdPath, junitPath });
    expect(written.exitCode, written.err).toBe(0);
    expect(written.err).toBe('');
    expect(written.out.split('\n')).toEqual([
      expect.stringMatching(/summary\.md: run result of .*lossy\.json as a Markdown summary \([\d,]+ B\)$/),
      expect.stringMatching(/junit\.xml: run result of .*lossy\.json as JUnit XML \([\d,]+ B\)$/),
      '',
    ]);
    // What the harness writes: the text, trimmed for the summary, and a newline (main.ts writeOutput).
    const summary = await readFile(summaryMdPath, 'utf8');
    expect(summary).toBe(`${renderSummaryMarkdown(json).trimEnd()}\n`);
    const tables = marked.lexer(summary).filter((token) => token.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(3);
    const xml = await readFile(junitPath, 'utf8');
    expect(xml).toBe(`${renderJunit(json)}\n`);
    const failed = json.thresholds.filter((threshold) => !threshold.passed).map((threshold) => threshold.expression);
    expect(failed.length).toBeGreaterThan(0);
    expect(
      junitCases(xml)
        .filter((testCase) => testCase.failure !== undefined)
        .map((testCase) => testCase.name),
    ).toEqual(failed);
  });

  it('writes them for a schema 2 report too, beside its HTML page', async () => {
    const { timeSeries: _series, matrix: _matrix, ...rest } = faultReport();
    const path = await writeJson('old.json', { ...rest, schemaVersion: 2 });
    const files = { htmlPath: 'old.html', summaryMdPath: 'old.md', junitPath: 'old.xml' };
    const [htmlPath, summaryMdPath, junitPath] = Object.values(files).map((file) => join(tempDir(), file));
    const written = await report(path, htmlPath, { summaryMdPath, junitPath });
    expect(written.exitCode, written.err).toBe(0);
    expect(
      written.out
        .trim()
        .split('\n')
        .map((line) => line.replace(/ \(.*\)$/, '')),
    ).toEqual([
      `${htmlPath}: run result of ${path} as HTML`,
      `${summaryMdPath}: run result of ${path} as a Markdown summary`,
      `${junitPath}: run result of ${path} as JUnit XML`,
    ]);
    expect(await readFile(summaryMdPath ?? '', 'utf8')).toMatch(/kill-subscribers/);
    const names = junitCases(await readFile(junitPath ?? '', 'utf8')).map((testCase) => testCase.name);
    expect(names.filter((name) => name.includes('@'))).toEqual(['kill-subscribers@10s', 'kill-worker@20s']);
  });

  it('refuses them for a bench or find-max result in one line naming what works, writing nothing', async () => {
    const htmlPath = join(tempDir(), 'refused', 'bench.html');
    const summaryMdPath = join(tempDir(), 'refused', 'bench.md');
    const bench = await writeJson('bench.json', driversBench());
    const refused = await report(bench, htmlPath, { summaryMdPath });
    expect(refused).toEqual({
      exitCode: 2,
      out: '',
      err: `evbridge report: --summary-md renders a run report, and ${bench} is a bench result: drop it; for this file pnpm report FILE prints it and pnpm report FILE --html OUT writes its page\n`,
    });
    const findMax = await writeJson('fm.json', findMaxDocument());
    const both = await report(findMax, undefined, { summaryMdPath, junitPath: join(tempDir(), 'refused', 'fm.xml') });
    expect(both.exitCode).toBe(2);
    expect(both.err).toMatch(
      /^evbridge report: --summary-md and --junit render a run report, and .*fm\.json is a find-max result: drop them;/,
    );
    expect(both.err.split('\n')).toHaveLength(2);
    await expect(readFile(htmlPath, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('names the option whose path cannot be written', async () => {
    const file = await writeJson('plain-run.json', sampleReport());
    const unwritable = await report(file, undefined, { junitPath: join(file, 'under-a-file.xml') });
    expect(unwritable.exitCode).toBe(2);
    expect(unwritable.err).toMatch(
      /^evbridge report: cannot write .*under-a-file\.xml \(.*\): give --junit a path in a writable directory\n$/,
    );
  });
});

describe('pnpm report, the built entry', () => {
  it('writes the HTML file and exits 0; bad input is one line on stderr and exit 2', async () => {
    const input = await writeJson('entry.json', sampleReport());
    const htmlPath = join(tempDir(), 'entry.html');
    const junitPath = join(tempDir(), 'entry.xml');
    const ok = await execaNode(REPORT_MAIN, [input, '--html', htmlPath, '--junit', junitPath], {
      reject: false,
      stdin: 'ignore',
    });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(await readFile(htmlPath, 'utf8')).toMatch(/^<!doctype html>/);
    expect(await readFile(junitPath, 'utf8')).toMatch(/^<\?xml /);
    const bad = await execaNode(REPORT_MAIN, [join(tempDir(), 'missing.json')], { reject: false, stdin: 'ignore' });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.split('\n')).toHaveLength(1);
    expect(bad.stdout).toBe('');
  });
});
