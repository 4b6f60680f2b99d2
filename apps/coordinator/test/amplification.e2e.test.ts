// Amplification counts what arrived, not what the ledger expected: a transport that hands some events to the handlers
// twice makes it exceed N-1 and fails `amplification==N-1`, while delivery (from the ledgers) stays 100%.
// Real worker processes from a fixture entry, real Redis.
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { parseCliArgs } from '../src/cli/options.js';
import { renderReport } from '../src/render/report.js';
import { runHarness } from '../src/run/run-harness.js';

const quiet = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false }) as unknown as NodeJS.WriteStream;

describe('amplification from arrivals', () => {
  it('a transport that delivers every 10th event twice: arrivals exceed deliveries and amplification==2 fails', async () => {
    const parsed = parseCliArgs([`--redis=${inject('redisUrl')}`, '--procs=3', '--rate=300', '--duration=2s', '--warmup=500ms'], {});
    if (parsed.kind !== 'run') throw new Error(`bad test options: ${JSON.stringify(parsed)}`);
    const entry = fileURLToPath(new URL('./fixtures/worker-delivers-twice.mjs', import.meta.url));
    const result = await runHarness(parsed.options, {
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      progressStream: quiet,
      workerEntry: entry,
    });
    const report = result.report!;
    const { totals } = report;
    expect(totals.deliveryRatio).toBe(1);
    expect(totals.duplicates).toBeGreaterThan(0);
    expect(totals.arrivals).toBe(totals.delivered + totals.duplicates);
    expect(totals.amplification).toBeCloseTo(totals.arrivals / totals.published, 12);
    expect(totals.amplification).toBeGreaterThan(2);
    expect(report.thresholds.find((threshold) => threshold.expression === 'amplification==2')).toMatchObject({ passed: false });
    expect(result.exitCode).toBe(1);
    expect(report.instances.reduce((sum, row) => sum + row.arrivals, 0)).toBe(totals.arrivals);
    expect(renderReport(report)).toMatch(/arrivals\s+[\d,]+ \(handler calls/);
  }, 60_000);
});
