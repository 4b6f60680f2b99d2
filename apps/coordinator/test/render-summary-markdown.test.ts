// --summary-md: the Markdown summary read back by a Markdown library (marked's GFM lexer) as GitHub would render it:
// its tables are tables with the right headers and the fixtures' figures, and user text cannot break one or add a link.
import { type Token, type Tokens, marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { renderSummaryMarkdown } from '../src/markdown/summary-markdown.js';
import { INSTANCE_ROWS_MAX } from '../src/markdown/instances-details.js';
import type { Report } from '../src/model/report.js';
import { classify } from '../src/results/read-result.js';
import { faultReport, lossyReport, remoteReport, sampleReport } from './fixtures/sample-report.js';

/** What a reader sees of inline tokens; anything but text (a link, HTML, emphasis) shows as `<type>` so it is caught. */
function plain(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'text' || token.type === 'escape') {
        const nested = (token as Tokens.Text).tokens;
        return nested === undefined ? token.text : plain(nested);
      }
      return `<${token.type}>`;
    })
    .join('');
}

interface Table {
  headers: string[];
  rows: string[][];
}

interface Summary {
  tokens: Token[];
  headings: string[];
  tables: Table[];
  /** The table whose first header is `first`. */
  table(first: string): Table;
}

function lex(markdown: string): Summary {
  const tokens = marked.lexer(markdown, { gfm: true });
  const tables = tokens
    .filter((token): token is Tokens.Table => token.type === 'table')
    .map((table) => ({
      headers: table.header.map((cell) => plain(cell.tokens)),
      rows: table.rows.map((row) => row.map((cell) => plain(cell.tokens))),
    }));
  return {
    tokens,
    tables,
    headings: tokens
      .filter((token): token is Tokens.Heading => token.type === 'heading')
      .map((token) => plain(token.tokens)),
    table(first) {
      const found = tables.find((table) => table.headers[0] === first);
      if (found === undefined) throw new Error(`no table headed "${first}" in:\n${markdown}`);
      return found;
    },
  };
}

/** Every inline token under the block tokens (paragraphs, headings, table cells), for a whole-document check. */
function inlineTokens(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token): Token[] => {
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      return [...table.header, ...table.rows.flat()].flatMap((cell) => inlineTokens(cell.tokens));
    }
    const nested = (token as { tokens?: Token[] }).tokens;
    return nested === undefined ? [token] : [token, ...inlineTokens(nested)];
  });
}

const DELIVERY_HEADERS = [
  'scheduled',
  'published',
  'expected',
  'delivered',
  'lost',
  'duplicates',
  'self-received',
  'amplification',
];

describe('renderSummaryMarkdown', () => {
  it('a clean run: the verdict heading, and thresholds, delivery and latency tables with the report figures', () => {
    const summary = lex(renderSummaryMarkdown(sampleReport()));
    expect(summary.headings[0]).toBe('evbridge harness: PASS · complete · evbridge · 5 procs x 1,000.0 events/s · 30s');
    expect(summary.headings).toEqual([
      expect.any(String),
      'Thresholds (3)',
      'Delivery',
      'Latency',
      // No fault, no problem: no heading for either.
    ]);
    expect(summary.table('threshold')).toEqual({
      headers: ['threshold', 'actual', 'result'],
      rows: [
        ['delivery==100%', '100%', 'PASS'],
        ['selfReceived==0', '0', 'PASS'],
        ['amplification==4', '4', 'PASS'],
      ],
    });
    expect(summary.table('scheduled')).toEqual({
      headers: DELIVERY_HEADERS,
      rows: [['30,000', '30,000 (100%)', '120,000', '120,000 (100%)', '0', '0', '0', '4 (expected 4)']],
    });
    expect(summary.table('latency')).toEqual({
      headers: ['latency', 'p50', 'p90', 'p99', 'p99.9', 'max'],
      rows: [
        ['from intended time', '801 us', '1,203 us', '2,047 us', '4,095 us', '12,031 us'],
        ['transit (publish call to handler)', '512 us', '-', '1,535 us', '3,071 us', '11,007 us'],
      ],
    });
  });

  it('a failed run: FAIL and why, failed thresholds with their actual values, the problem, the instances collapsed', () => {
    const report = lossyReport();
    const markdown = renderSummaryMarkdown(report);
    const summary = lex(markdown);
    expect(summary.headings[0]).toBe(
      'evbridge harness: FAIL · interrupted · my-bridge · 5 procs x 1,000.0 events/s · 30s',
    );
    expect(markdown).toContain('**RESULT: FAIL (3 of 4 thresholds failed; the run was interrupted)**');
    // One instance ran on a clock of its own: the latency figures carry the bound (a clean run's say nothing).
    expect(markdown).toContain('Clock error bound: ±312 us on every latency figure');
    expect(renderSummaryMarkdown(sampleReport())).not.toContain('Clock error bound');
    expect(summary.table('threshold').rows).toEqual([
      ['delivery==100%', '99.9583%', 'FAIL'],
      ['selfReceived==0', '0', 'PASS'],
      ['amplification==4', '3.99836666667', 'FAIL'],
      ['p99<2ms', '2,047 us', 'FAIL'],
    ]);
    expect(summary.table('scheduled').rows[0]).toEqual([
      '30,000',
      '30,000 (100%)',
      '120,000',
      '119,951 (99.9583%)',
      '50',
      '1',
      '0',
      '3.99836666667 (expected 4)',
    ]);
    expect(summary.table('worker')).toEqual({
      headers: ['worker', 'problem'],
      rows: [['3 (pid 41004)', 'stopped answering stats requests | last seen 2s ago']],
    });
    // The instances sit in a <details> block, their table one row each.
    const html = summary.tokens.filter((token) => token.type === 'html').map((token) => token.raw.trim());
    expect(html).toEqual(['<details><summary>Instances (5)</summary>', '</details>']);
    const instances = summary.table('#');
    expect(instances.rows).toHaveLength(5);
    expect(instances.headers.slice(0, 6)).toEqual(['#', 'pid', 'instance', 'published', 'delivered', 'lost']);
    expect(instances.rows[3]?.[5]).toBe('50');
    expect(instances.rows[3]?.at(-1)).toBe('SIGKILL: killed by the test');
  });

  it('a fault run: one row per fault with when it landed, the recovery, what it lost and its verdict', () => {
    const report = faultReport();
    const [subscribers] = report.faults!;
    report.faults = [
      ...report.faults!,
      { ...subscribers!, recovered: false, recoveryMs: null },
      { ...subscribers!, status: 'not-reached', injectedAtMs: null },
    ];
    const summary = lex(renderSummaryMarkdown(report));
    expect(summary.headings).toContain('Faults (4)');
    expect(summary.table('fault')).toEqual({
      headers: ['fault', 'injected at', 'recovery', 'lost', 'verdict'],
      rows: [
        [
          'kill-subscribers@10s',
          '10.001s',
          '66ms',
          '6',
          'PASS: 6 lost, allowed: pub/sub is at most once; no duplicates',
        ],
        ['kill-worker@20s', '20s', '0s', '0', 'PASS: nothing lost; no duplicates'],
        ['kill-subscribers@10s', '10.001s', 'never', '6', 'FAIL: never recovered before the run ended'],
        ['kill-subscribers@10s', '-', '-', '-', 'not reached: the run ended first'],
      ],
    });
  });

  it('a run with remote workers: where they connected, how many came, and only the refusals that occurred', () => {
    const markdown = renderSummaryMarkdown(remoteReport());
    expect(markdown).toContain(
      // The address escaped as every text is: no autolink.
      '**Remote workers** on ws\\://127.0.0.1:7400: 2 of 2 arrived; refused: badProof 1, garbage 3, slow 1.',
    );
    expect(renderSummaryMarkdown(sampleReport())).not.toContain('Remote workers');
  });

  it('user text cannot break a table, add a heading, a link or HTML', () => {
    const report = lossyReport();
    const driver = 'evil | driver\n# not a heading <img src=x> [link](http://evil.example)';
    report.run.driver.name = driver;
    const message = 'a | b || c\n| --- |\n<script>alert(1)</script> **bold** `code` www.evil.example a@b.example #';
    report.problems = [{ message }, { worker: 1, message: 'ok' }];
    report.thresholds = [{ expression: 'p99<2ms | x', actual: 2_047, passed: false }];
    const markdown = renderSummaryMarkdown(report);
    const summary = lex(markdown);
    const problems = summary.table('worker');
    expect(problems.headers).toEqual(['worker', 'problem']);
    expect(problems.rows).toEqual([
      ['run', message.replaceAll('\n', ' | ')],
      ['1', 'ok'],
    ]);
    expect(summary.headings[0]).toBe(
      `evbridge harness: FAIL · interrupted · ${driver.replace('\n', ' | ')} · 5 procs x 1,000.0 events/s · 30s`,
    );
    expect(summary.headings).not.toContain('not a heading');
    expect(summary.table('threshold').rows).toEqual([['p99<2ms | x', '2047', 'FAIL']]);
    // Nothing but text anywhere, bar the bold verdict line and the <details> block the summary writes itself.
    const inline = inlineTokens(summary.tokens);
    const structure = ['text', 'escape', 'heading', 'paragraph', 'strong', 'space', 'html'];
    expect(inline.filter((token) => !structure.includes(token.type)).map((token) => token.type)).toEqual([]);
    expect(inline.filter((token) => token.type === 'html').map((token) => token.raw.trim())).toEqual([
      '<details><summary>Instances (5)</summary>',
      '</details>',
    ]);
    expect(marked.parse(markdown)).not.toMatch(/<a |<script|<img|<code>|<em>/);
  });

  it('the same escaping seen by the test catches a table that would break (a check that can fail)', () => {
    const broken = lex('| worker | problem |\n|:---|:---|\n| run | a | b |\n');
    expect(broken.table('worker').rows[0]).not.toEqual(['run', 'a | b']);
  });

  it(`collapses at most ${INSTANCE_ROWS_MAX} instances into a table; more become one line`, () => {
    const report = sampleReport();
    const base = report.instances[0]!;
    report.instances = Array.from({ length: INSTANCE_ROWS_MAX + 1 }, (_, index) => ({
      ...base,
      index,
      lost: index,
      latencyUs: { ...base.latencyUs, p99: 2_000 + index },
      exit: index === 4 ? { exitCode: 1, signal: null, reason: 'crashed' } : null,
    }));
    const markdown = renderSummaryMarkdown(report);
    expect(markdown).not.toContain('<details>');
    expect(lex(markdown).tables.map((table) => table.headers[0])).toEqual(['threshold', 'scheduled', 'latency']);
    expect(markdown).toContain(
      'Instances: 11, lost 0 to 10 each, latency p99 2,000 us to 2,010 us; 1 ended early (worker 4). The JSON report has every row.',
    );
    report.instances = report.instances.slice(0, INSTANCE_ROWS_MAX);
    expect(lex(renderSummaryMarkdown(report)).table('#').rows).toHaveLength(INSTANCE_ROWS_MAX);
  });

  it('renders a schema 2 report (no timeSeries, no matrix) as read back from its file, the same as schema 3', () => {
    const report = lossyReport();
    const { timeSeries: _series, matrix: _matrix, ...rest } = report;
    const file = classify('old.json', JSON.parse(JSON.stringify({ ...rest, schemaVersion: 2 })));
    if (file.kind !== 'run') throw new Error('expected a run report');
    expect(file.report.schemaVersion).toBe(2);
    expect(renderSummaryMarkdown(file.report)).toBe(renderSummaryMarkdown(report satisfies Report));
  });
});
