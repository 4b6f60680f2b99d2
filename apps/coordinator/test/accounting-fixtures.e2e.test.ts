// What the report counts, checked against workers that misbehave on purpose: a transport that hands some events to the
// handlers twice, and one whose self-filter lets every echo of its own events through. Each figure is counted apart
// from the one it checks, so each of these runs fails. Real worker processes from fixture entries, real Redis.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/report.js';
import { fixture, runWithWorkerEntry } from './support/fixture-run.js';

const RUN = ['--procs=3', '--rate=300', '--duration=2s', '--warmup=500ms'];

describe('amplification counts arrivals, not the ledger', () => {
  it('a transport that delivers every 10th event twice: arrivals exceed deliveries and amplification==2 fails', async () => {
    const result = await runWithWorkerEntry(fixture('worker-delivers-twice.mjs'), RUN);
    const report = result.report!;
    const { totals } = report;
    expect(totals.deliveryRatio).toBe(1);
    expect(totals.duplicates).toBeGreaterThan(0);
    expect(totals.arrivals).toBe(totals.delivered + totals.duplicates);
    expect(totals.amplification).toBeCloseTo(totals.arrivals / totals.published, 12);
    expect(totals.amplification).toBeGreaterThan(2);
    expect(report.thresholds.find((threshold) => threshold.expression === 'amplification==2')).toMatchObject({
      passed: false,
    });
    expect(result.exitCode).toBe(1);
    expect(report.instances.reduce((sum, row) => sum + row.arrivals, 0)).toBe(totals.arrivals);
    expect(renderReport(report)).toMatch(/arrivals\s+[\d,]+ \(handler calls/);
  }, 60_000);
});

describe('self-receive is decided by the harness, from the source, for every driver', () => {
  for (const driver of ['raw', 'evbridge']) {
    it(`${driver}: a self-filter that lets own echoes through is caught and fails selfReceived==0`, async () => {
      const result = await runWithWorkerEntry(fixture('worker-hears-itself.mjs'), [...RUN, `--driver=${driver}`]);
      const report = result.report!;
      expect(report.totals.selfReceived).toBeGreaterThan(0);
      for (const row of report.instances) expect(row.selfReceived, `instance ${row.index}`).toBeGreaterThan(0);
      expect(report.thresholds.find((threshold) => threshold.expression === 'selfReceived==0')).toMatchObject({
        passed: false,
      });
      expect(report.totals.deliveryRatio).toBe(1);
      expect(result.exitCode).toBe(1);
    }, 60_000);
  }
});

describe('every scheduled event in exactly one bucket: published, refused, failed', () => {
  it('refused publishes (no sequence number) and rejected ones are counted apart; publishRatio==100% fails', async () => {
    const result = await runWithWorkerEntry(fixture('worker-refuses-publishes.mjs'), RUN);
    const report = result.report!;
    const { totals } = report;
    expect(totals.refused).toBeGreaterThan(0);
    expect(totals.publishFailed).toBeGreaterThan(0);
    expect(totals.scheduled).toBe(totals.published + totals.refused + totals.publishFailed);
    for (const row of report.instances) {
      expect(row.refused, `instance ${row.index}`).toBeGreaterThan(0);
      expect(row.scheduled, `instance ${row.index}`).toBe(row.published + row.refused + row.publishFailed);
    }
    expect(totals.publishRatio).toBeCloseTo(totals.published / totals.scheduled, 12);
    expect(totals.publishRatio).toBeLessThan(0.9);
    // Refused events took no sequence number: no receiver expected them. The rejected ones did reach Redis.
    expect(totals.deliveryRatio).toBe(1);
    expect(totals.lost).toBe(0);
    expect(report.thresholds.find((threshold) => threshold.expression === 'publishRatio==100%')).toMatchObject({
      passed: false,
    });
    const messages = report.problems.map((problem) => problem.message).join('\n');
    expect(messages).toContain(
      `${totals.refused} of ${totals.scheduled} scheduled events were refused before publishing`,
    );
    expect(messages).toContain('none is counted as lost');
    expect(result.exitCode).toBe(1);
  }, 60_000);
});
