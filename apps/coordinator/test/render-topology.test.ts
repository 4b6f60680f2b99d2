// The report names the topology a run used: in the terminal, the HTML settings and the Markdown summary.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/report.js';
import { redisKind, redisKindShort } from '../src/render/redis-kind.js';
import { renderSummaryMarkdown } from '../src/markdown/summary-markdown.js';
import { renderRunHtml } from '../src/html/run/run-page.js';
import { sampleReport, sentinelReport } from './fixtures/sample-report.js';

describe('the Redis a run used, in words', () => {
  it('tells one server, a Sentinel group and a Cluster apart, private or external', () => {
    expect(redisKind({ private: true })).toBe('private redis-server started for this run');
    expect(redisKind({ private: false })).toBe('external');
    expect(redisKind({ private: true, topology: 'sentinel' })).toBe(
      'private Sentinel group started for this run: a master, a replica and three sentinels',
    );
    expect(redisKind({ private: false, topology: 'sentinel' })).toBe('external Sentinel group');
    expect(redisKind({ private: false, topology: 'cluster' })).toBe('external Cluster');
    expect(redisKindShort({ private: true, topology: 'sentinel' })).toBe('private, sentinel');
    expect(redisKindShort({ private: false })).toBe('');
  });

  it('shows the Sentinel group in the terminal report and the Markdown summary, with no password', () => {
    const text = renderReport(sentinelReport());
    const line = text.split('\n').find((candidate) => candidate.includes('  redis '));
    expect(line).toContain(
      '7.2.4 at redis+sentinel://127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003/evbridge (private Sentinel group started for this run: a master, a replica and three sentinels)',
    );
    expect(renderSummaryMarkdown(sentinelReport())).toContain('Redis 7.2.4 (private, sentinel)');
    expect(renderSummaryMarkdown(sampleReport())).toContain('Redis 7.2.4 (private)');
  });

  it("shows it in the HTML page's run settings", () => {
    expect(renderRunHtml(sentinelReport())).toContain(
      'redis+sentinel://127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003/evbridge (private Sentinel group started for this run: a master, a replica and three sentinels)',
    );
  });
});
