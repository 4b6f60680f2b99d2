// --delivery, without processes: parsed and defaulted, refused for a driver without a durable mode, the private
// server's persistence, the verdicts held to what Streams promise, and the report showing the mode and the drivers'
// own loss count beside (never inside) the ledger's.
import { describe, expect, it } from 'vitest';
import { anyDurable } from '../src/bench/delivery-arm.js';
import { parseBenchArgs } from '../src/bench/options.js';
import { harnessOptionsFor } from '../src/bench/plan.js';
import { verdictOf } from '../src/faults/fault-verdict.js';
import type { FaultOutcome } from '../src/faults/fault-analysis-types.js';
import { renderRunHtml } from '../src/html/run/run-page.js';
import { renderSummaryMarkdown } from '../src/markdown/summary-markdown.js';
import { renderRedisConfig } from '../src/redis/server-config.js';
import { renderReport } from '../src/render/report.js';
import { driverRefusals } from '../src/run/check-driver.js';
import { durableReport, sampleReport } from './fixtures/sample-report.js';
import { parseError, parsedOptions } from './support/parse-cli.js';

const outcome = (lost: number, duplicates = 0): FaultOutcome => ({ lost, duplicates }) as unknown as FaultOutcome;

const capabilities = {
  receiverCount: true,
  ownEchoes: true,
  namedConnections: true,
  instanceIdOverride: true,
  sentinel: false,
  cluster: false,
};

describe('--delivery', () => {
  it('defaults to at-most-once, takes at-least-once, and names the words it accepts', () => {
    expect(parsedOptions([]).delivery).toBe('at-most-once');
    expect(parsedOptions(['--delivery=at-least-once']).delivery).toBe('at-least-once');
    expect(parseError(['--delivery=exactly-once'])).toMatch(/--delivery.*at-most-once or at-least-once/);
    // The conformance kit checks pub/sub properties: a delivery mode there would be ignored, so it is refused.
    expect(parseError(['--conformance', '--delivery=at-least-once'])).toMatch(/--conformance .* drop --delivery/);
    // One stream lives in one slot: the durable mode is not offered on a Cluster, by the harness or the bridge.
    expect(parseError(['--topology=cluster', '--delivery=at-least-once'])).toMatch(
      /--delivery=at-least-once does not run on a Redis Cluster.*--topology=sentinel/,
    );
    expect(parsedOptions(['--topology=sentinel', '--delivery=at-least-once']).delivery).toBe('at-least-once');
  });

  it('is refused for a driver without a durable mode, and taken by one with it', () => {
    const run = { delivery: 'at-least-once' as const, faults: [] };
    expect(driverRefusals({ capabilities }, run)).toEqual([
      '--delivery=at-least-once needs a driver with a durable mode (capabilities.atLeastOnce): use --driver=evbridge or evbridge-coalesced, or drop --delivery',
    ]);
    expect(driverRefusals({ capabilities: { ...capabilities, atLeastOnce: true } }, run)).toEqual([]);
    expect(driverRefusals({ capabilities }, { delivery: 'at-most-once', faults: [] })).toEqual([]);
  });

  it('puts the private server on appendonly (fsync every second) only when asked', () => {
    const base = { port: 6400, password: 'p', dir: '/tmp/x' };
    const durable = renderRedisConfig({ ...base, appendOnly: true }).split('\n');
    expect(durable).toContain('appendonly yes');
    expect(durable).toContain('appendfsync everysec');
    expect(durable).not.toContain('appendonly no');
    expect(renderRedisConfig(base).split('\n')).toContain('appendonly no');
  });
});

describe('fault verdicts by delivery mode', () => {
  it('pub/sub allows losses through a Redis restart and a subscriber kill; Streams allow none', () => {
    for (const kind of ['restart-redis', 'kill-subscribers', 'slow-consumer'] as const) {
      expect(verdictOf(kind, outcome(3)).allowed).toBe(true);
      const durable = verdictOf(kind, outcome(3), 'at-least-once');
      expect(durable.allowed).toBe(false);
      expect(durable.explanation).toContain('Redis Streams keep every entry until MAXLEN trims it');
      expect(verdictOf(kind, outcome(0), 'at-least-once')).toEqual({
        allowed: true,
        explanation: 'nothing lost; no duplicates',
      });
    }
  });

  it('what no mode allows stays refused, and a resent XADD is read once: no duplicate is allowed', () => {
    expect(verdictOf('stop-worker', outcome(1), 'at-least-once').allowed).toBe(false);
    // Pub/sub allows a duplicate after a dropped publisher connection (a resent PUBLISH); Streams do not.
    expect(verdictOf('kill-publishers', outcome(0, 2)).allowed).toBe(true);
    for (const kind of ['restart-redis', 'kill-publishers', 'kill-subscribers'] as const) {
      const durable = verdictOf(kind, outcome(0, 2), 'at-least-once');
      expect(durable.allowed).toBe(false);
      expect(durable.explanation).toContain('a stream reader resumes after its cursor and drops an XADD sent again');
    }
    expect(verdictOf('kill-publishers', outcome(1), 'at-least-once').allowed).toBe(false);
  });
});

describe('the report of a durable run', () => {
  it('shows the mode in the settings of every rendering', () => {
    const report = durableReport();
    expect(renderReport(report)).toMatch(/^ {2}delivery +at-least-once \(/m);
    expect(renderRunHtml(report)).toContain('<dt>delivery</dt><dd>at-least-once</dd>');
    expect(renderSummaryMarkdown(report)).toContain('at-least-once delivery');
    expect(renderReport(sampleReport())).toMatch(/^ {2}delivery +at-most-once \(/m);
  });

  it("shows the drivers' own loss count beside the ledger's, each as counted, and no receiver check", () => {
    // The two disagree here on purpose: neither is derived from the other.
    const report = durableReport(7);
    expect(report.totals.lost).toBe(0);
    const text = renderReport(report);
    expect(text).toMatch(/^ {2}lost +0$/m);
    expect(text).toMatch(/^ {2}lost \(driver says\) +.*7.* \(stream entries the drivers found trimmed/m);
    expect(text).toContain('receivers (Redis)     not reported (XADD has no receiver count)');
    expect(text).not.toContain('receivers match');
    const html = renderRunHtml(report);
    expect(html).toContain('data-field="totals.driverReportedLost"');
    // The page labels the sum of XADD replies for what it is: 0 by construction, not 0 receivers.
    expect(html).toContain('receivers (Redis: not reported, XADD has no receiver count)');
    expect(renderRunHtml(sampleReport())).toContain('receivers (Redis: sum of PUBLISH replies)');
    expect(renderSummaryMarkdown(report)).toContain('The drivers themselves reported 7 stream entries lost');
  });
});

describe('the bench compares the durable mode with pub/sub as two arms of one driver', () => {
  it('takes evbridge@at-least-once as an arm and runs it with --delivery=at-least-once', () => {
    const result = parseBenchArgs(['--drivers=evbridge,evbridge@at-least-once']);
    if (result.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(result)}`);
    expect(result.options.drivers).toEqual(['evbridge', 'evbridge@at-least-once']);
    expect(anyDurable(result.options.drivers)).toBe(true);
    expect(anyDurable(['evbridge', 'raw'])).toBe(false);
    const settings = {
      rateEventsPerSec: 1000,
      durationMs: 1000,
      warmupMs: 0,
      payloadBytes: 16,
      pacer: 'open-loop',
      logLevel: 'warn',
    } as const;
    const durable = harnessOptionsFor({ procs: 2, transport: 'evbridge@at-least-once' }, settings, 'redis://x');
    expect(durable).toMatchObject({ driver: 'evbridge', delivery: 'at-least-once' });
    expect(harnessOptionsFor({ procs: 2, transport: 'evbridge' }, settings, 'redis://x')).toMatchObject({
      driver: 'evbridge',
      delivery: 'at-most-once',
    });
    const bad = parseBenchArgs(['--drivers=evbridge,nosuch@at-least-once']);
    expect(bad.kind).toBe('error');
  });
});
