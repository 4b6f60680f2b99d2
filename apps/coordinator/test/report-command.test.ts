// pnpm report FILE [--html OUT]: the arguments, each kind of result file in the terminal and as HTML, and the one line
// and exit 2 for anything it cannot read or write; once through the built entry as a real process.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaNode } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli/options.js';
import { parseReportArgs } from '../src/report-command/options.js';
import { runReportCommand } from '../src/report-command/run-report-command.js';
import { SCHEMA_2_NOTICE } from '../src/html/run/run-page.js';
import { driversBench, findMaxDocument } from './fixtures/sample-bench.js';
import { faultReport, sampleReport } from './fixtures/sample-report.js';
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
async function report(inputPath: string, htmlPath?: string) {
  let out = '';
  let err = '';
  const exitCode = await runReportCommand(
    { inputPath, htmlPath },
    { out: { write: (text: string) => (out += text) }, err: { write: (text: string) => (err += text) }, color: false },
  );
  return { exitCode, out, err };
}

describe('pnpm report: the arguments', () => {
  it('takes one file and --html; help wins; anything else is one line naming the fix', () => {
    expect(parseReportArgs(['r.json', '--html', 'r.html'])).toEqual({
      kind: 'run',
      options: { inputPath: 'r.json', htmlPath: 'r.html' },
    });
    expect(parseReportArgs(['--html=out/r.html', 'r.json'])).toEqual({
      kind: 'run',
      options: { inputPath: 'r.json', htmlPath: 'out/r.html' },
    });
    expect(parseReportArgs(['r.json'])).toEqual({ kind: 'run', options: { inputPath: 'r.json', htmlPath: undefined } });
    const help = parseReportArgs(['--bogus', '-h']);
    expect(help.kind === 'help' && help.text).toMatch(/^Usage: pnpm report FILE \[--html OUT\]/);
    expect(help.kind === 'help' && help.text).toContain('--html <path>');
    const error = (argv: string[]) => {
      const parsed = parseReportArgs(argv);
      return parsed.kind === 'error' ? parsed.message : undefined;
    };
    expect(error([])).toMatch(/^no result file given: pnpm report FILE \[--html OUT\]/);
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

describe('pnpm report, the built entry', () => {
  it('writes the HTML file and exits 0; bad input is one line on stderr and exit 2', async () => {
    const input = await writeJson('entry.json', sampleReport());
    const htmlPath = join(tempDir(), 'entry.html');
    const ok = await execaNode(REPORT_MAIN, [input, '--html', htmlPath], { reject: false, stdin: 'ignore' });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(await readFile(htmlPath, 'utf8')).toMatch(/^<!doctype html>/);
    const bad = await execaNode(REPORT_MAIN, [join(tempDir(), 'missing.json')], { reject: false, stdin: 'ignore' });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.split('\n')).toHaveLength(1);
    expect(bad.stdout).toBe('');
  });
});
