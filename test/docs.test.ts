// Keeps README.md and docs/report.md in step with the code: report fields, CLI options and the first-screen commands.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { optionNames } from '../apps/coordinator/src/cli/options.js';
import { OPTION_SPECS } from '../apps/coordinator/src/cli/option-specs.js';
import {
  faultReport,
  durableReport,
  sentinelReport,
  remoteReport,
  lossyReport,
  sampleReport,
} from '../apps/coordinator/test/fixtures/sample-report.js';
import {
  compareReports,
  type ModeComparison,
  type ModeOutcome,
} from '../apps/coordinator/src/compare/mode-comparison.js';
import { compareResults } from '../apps/coordinator/src/compare-results/compare-results.js';
import { parseFailRule } from '../apps/coordinator/src/compare-results/fail-rule.js';
import { classify } from '../apps/coordinator/src/results/read-result.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

/** How many lines a newcomer sees first: the set-up commands must be among them. */
const FIRST_SCREEN_LINES = 40;
const SETUP_LINES = ['pnpm install', 'pnpm harness --procs=5', 'pnpm test'] as const;

/**
 * Every leaf key path of `value`, dotted, array elements as `[]` (`instances[].latencyUs.p50`). An empty
 * array is a leaf itself (`lostRanges`), and so is null (`instances[].exit` in a clean run).
 */
function leafPaths(value: unknown, prefix = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    if (value.length === 0) into.add(prefix);
    for (const element of value) leafPaths(element, `${prefix}[]`, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) leafPaths(child, prefix === '' ? key : `${prefix}.${key}`, into);
  } else {
    into.add(prefix);
  }
  return into;
}

/** The clean fixture plus the lossy one, whose lost ranges, problems and worker exit fill the empty/null fields, and the faults one. */
const reportPaths = (): string[] => {
  const paths = leafPaths(sampleReport());
  leafPaths(lossyReport(), '', paths);
  leafPaths(faultReport(), '', paths);
  leafPaths(remoteReport(), '', paths);
  leafPaths(durableReport(), '', paths);
  leafPaths(sentinelReport(), '', paths);
  return [...paths].sort();
};

/** Backticked paths that open a table row of docs/report.md: `| \`totals.lost\` | ...`. */
const documentedRowPaths = (doc: string): string[] =>
  [...doc.matchAll(/^\|\s*`([A-Za-z][\w.[\]]*)`\s*\|/gm)].map((match) => match[1] as string);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** docs/report.md without its --compare-modes section, and that section (up to the next `## ` heading). */
function splitCompareSection(text: string): { reportDoc: string; compareDoc: string } {
  const start = text.indexOf('## `--compare-modes`');
  if (start < 0) return { reportDoc: text, compareDoc: '' };
  const end = text.indexOf('\n## ', start + 3);
  const stop = end < 0 ? text.length : end;
  return { reportDoc: text.slice(0, start) + text.slice(stop), compareDoc: text.slice(start, stop) };
}

/** Leaf paths of a --compare-modes document, each run written `runs.<mode>` and its report (documented above) as one leaf. */
function comparisonPaths(): string[] {
  const outcome: ModeOutcome = { exitCode: 1, report: null, error: 'why' };
  const comparison: ModeComparison = {
    schemaVersion: 1,
    kind: 'compare-modes',
    runs: { procs: outcome, threads: outcome },
    rows: compareReports(sampleReport(), sampleReport()),
  };
  const paths = [...leafPaths(comparison)].map((path) => path.replace(/^runs\.(procs|threads)\./, 'runs.<mode>.'));
  return [...new Set(paths)].sort();
}

/** `text` without the section opening with `heading` (up to the next `## ` heading), and that section. */
function splitSection(text: string, heading: string): { rest: string; section: string } {
  const start = text.indexOf(heading);
  if (start < 0) return { rest: text, section: '' };
  const end = text.indexOf('\n## ', start + 3);
  const stop = end < 0 ? text.length : end;
  return { rest: text.slice(0, start) + text.slice(stop), section: text.slice(start, stop) };
}

/** Leaf paths of a `pnpm compare` document with every kind of judgement, a note and a rule. */
function compareResultsPaths(): string[] {
  const longer = sampleReport();
  longer.run.durationMs = 60_000;
  const rule = parseFailRule('p99>+10%');
  if (!rule.ok) throw new Error(rule.reason);
  const comparison = compareResults(classify('a.json', sampleReport()), classify('b.json', longer), {
    alpha: 0.05,
    rules: [rule.value],
  });
  return [...leafPaths(comparison)].sort();
}

describe('docs/report.md', () => {
  const { rest, section: compareResultsDoc } = splitSection(readRepoFile('docs/report.md'), '## Comparing runs');
  const { reportDoc: doc, compareDoc } = splitCompareSection(rest);

  it('documents every field of the pnpm compare document, and none it does not have', () => {
    const paths = compareResultsPaths();
    expect(paths).toContain('groups[].metrics[].judgement.pValue');
    expect(paths).toContain('groups[].metrics[].judgement.reason');
    const missing = paths.filter((path) => !compareResultsDoc.includes(`\`${path}\``));
    expect(missing, 'the "Comparing runs" section of docs/report.md lacks these fields').toEqual([]);
    const known = (path: string): boolean =>
      paths.some((leaf) => leaf === path || leaf.startsWith(`${path}.`) || leaf.startsWith(`${path}[]`));
    expect(documentedRowPaths(compareResultsDoc).filter((path) => !known(path))).toEqual([]);
  });

  it('documents every field of the --compare-modes document, and none it does not have', () => {
    const paths = comparisonPaths();
    expect(paths).toContain('rows[].figure');
    expect(paths).toContain('runs.<mode>.report');
    const missing = paths.filter((path) => !compareDoc.includes(`\`${path}\``));
    expect(missing, 'the --compare-modes section of docs/report.md lacks these fields').toEqual([]);
    const known = (path: string): boolean =>
      paths.some((leaf) => leaf === path || leaf.startsWith(`${path}.`) || leaf.startsWith(`${path}[]`));
    const stray = documentedRowPaths(compareDoc).filter(
      (path) => !known(path) && !/^runs\.(procs|threads)$/.test(path),
    );
    expect(stray).toEqual([]);
  });

  it('walks nested objects, arrays and nulls into leaf paths', () => {
    const paths = leafPaths({ a: 1, b: { c: null }, d: [{ e: 'x' }, { f: true }], g: [] });
    expect([...paths]).toEqual(['a', 'b.c', 'd[].e', 'd[].f', 'g']);
  });

  it('documents every leaf field of the sample report as a `dotted.path`', () => {
    const paths = reportPaths();
    expect(paths).toContain('instances[].latencyUs.p50');
    expect(paths).toContain('lostRanges[].seqFrom');
    const missing = paths.filter((path) => !doc.includes(`\`${path}\``));
    expect(missing, `docs/report.md lacks these report fields (write each as \`path\`, e.g. in a table row)`).toEqual(
      [],
    );
  });

  it('documents no field the report does not have', () => {
    const paths = reportPaths();
    const known = (path: string): boolean =>
      paths.some((leaf) => leaf === path || leaf.startsWith(`${path}.`) || leaf.startsWith(`${path}[]`));
    const rows = documentedRowPaths(doc);
    expect(rows).toContain('totals.lost');
    expect(
      rows.filter((path) => !known(path)),
      'docs/report.md has table rows for fields the report does not have',
    ).toEqual([]);
  });
});

describe('README.md', () => {
  const readme = readRepoFile('README.md');

  it('mentions every harness option as --name', () => {
    const names = optionNames();
    expect(names).toContain('procs');
    const missing = names.filter((name) => !new RegExp(`--${escapeRegExp(name)}(?![\\w-])`).test(readme));
    expect(missing, 'README.md does not mention these options').toEqual([]);
  });

  it('shows each option with the description and default that --help prints', () => {
    const lines = readme.split('\n');
    const problems: string[] = [];
    for (const spec of OPTION_SPECS) {
      const row = lines.find((line) => new RegExp(`^\\|[^|]*\`--${escapeRegExp(spec.name)}[\` []`).test(line));
      if (row === undefined) {
        problems.push(`--${spec.name}: no row in the options table`);
        continue;
      }
      // | option | meaning | default | accepted values |
      const [, , meaning, fallback] = row.split('|').map((cell) => cell.trim());
      if (meaning !== spec.description) problems.push(`--${spec.name}: meaning is not "${spec.description}"`);
      const expectedDefault = spec.defaultText === undefined ? '(none)' : `\`${spec.defaultText}\``;
      if (fallback !== expectedDefault) problems.push(`--${spec.name}: default is not ${expectedDefault}`);
    }
    expect(problems).toEqual([]);
  });

  it(`gives the set-up commands within its first ${FIRST_SCREEN_LINES} lines`, () => {
    const firstScreen = readme
      .split('\n')
      .slice(0, FIRST_SCREEN_LINES)
      .map((line) => line.trim());
    const missing = SETUP_LINES.filter((command) => !firstScreen.includes(command));
    expect(missing, `README.md's first ${FIRST_SCREEN_LINES} lines lack these command lines`).toEqual([]);
  });
});
