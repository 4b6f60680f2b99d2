import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/report.js';
import { LOST_RANGES_SHOWN } from '../src/render/lost-ranges-section.js';
import { lossyReport, sampleReport } from './fixtures/sample-report.js';

const lineWith = (text: string, needle: string): string => {
  const line = text.split('\n').find((candidate) => candidate.includes(needle));
  if (line === undefined) throw new Error(`no line contains ${JSON.stringify(needle)}:\n${text}`);
  return line;
};

describe('the verdict of a run that measured nothing', () => {
  it('fails and says which: no measured publish, or no delivery expected', () => {
    const none = sampleReport();
    none.passed = false;
    none.totals.expectedDeliveries = 0;
    expect(lineWith(renderReport(none), 'RESULT')).toBe(
      'RESULT: FAIL (nothing was measured: no delivery was expected: no measured event had a peer to reach)',
    );
    none.totals.published = 0;
    expect(lineWith(renderReport(none), 'RESULT')).toBe(
      'RESULT: FAIL (nothing was measured: no measured event was published)',
    );
  });
});

describe('renderReport on a clean run', () => {
  const report = sampleReport();
  const text = renderReport(report);

  it('has a header describing the run', () => {
    expect(text.split('\n')[0]).toBe('evbridge harness report: run run-20240611-0932-a1b2');
    expect(lineWith(text, 'procs')).toContain('5 worker processes');
    expect(lineWith(text, 'rate')).toContain('1,000.0 events/s total, 200.0 per worker');
    expect(lineWith(text, 'duration')).toContain('30s measured after 5s warmup');
    expect(lineWith(text, 'payload')).toContain('256 B');
    expect(lineWith(text, 'redis ')).toContain(
      '7.2.4 at redis://127.0.0.1:40123 (private redis-server started for this run)',
    );
    expect(text).not.toContain('outcome:');
  });

  it("names the Node.js version once when every worker ran the coordinator's, and each one when they differ", () => {
    expect(lineWith(text, '  node ')).toMatch(/^ {2}node +v26\.12\.1 \(coordinator and workers\)$/);
    const mixed = sampleReport();
    mixed.instances[1]!.nodeVersion = 'v24.22.0';
    mixed.instances[3]!.nodeVersion = '';
    expect(lineWith(renderReport(mixed), '  node ')).toMatch(
      /^ {2}node +coordinator v26\.12\.1, workers v26\.12\.1, v24\.22\.0$/,
    );
  });

  it('shows the delivery figures', () => {
    expect(lineWith(text, 'scheduled ')).toMatch(/scheduled\s+30,000$/);
    expect(lineWith(text, 'published ')).toMatch(/published\s+30,000 \(100% of scheduled\)$/);
    expect(lineWith(text, 'refused ')).toMatch(/refused\s+0 \(not ready/);
    expect(lineWith(text, 'publish failed ')).toMatch(/publish failed\s+0 \(rejected/);
    expect(lineWith(text, 'expected deliveries')).toContain('120,000 (each event to 4 peers)');
    expect(lineWith(text, 'delivered ')).toMatch(/delivered\s+120,000$/);
    expect(lineWith(text, 'delivery ratio')).toMatch(/100%$/);
    expect(lineWith(text, 'amplification')).toContain('4 (expected 4)');
    expect(lineWith(text, 'self echoes filtered')).toMatch(/30,000$/);
    for (const label of ['self received', 'duplicates', 'out of order', 'lost ', 'malformed']) {
      expect(lineWith(text, label)).toMatch(/ 0$/);
    }
    expect(lineWith(text, 'receivers (Redis)')).toContain('150,000');
    expect(lineWith(text, 'receivers (counted)')).toContain('150,000');
    expect(text).toContain('receivers match');
    expect(text).not.toContain('MISMATCH');
  });

  it('shows latency in microseconds with separators', () => {
    const fromIntended = lineWith(text, 'from intended time  ');
    for (const figure of ['120,000', '912 us', '801 us', '1,203 us', '1,410 us', '2,047 us', '4,095 us', '12,031 us']) {
      expect(fromIntended).toContain(figure);
    }
    const transit = lineWith(text, '  transit  ');
    for (const figure of ['512 us', '1,535 us', '3,071 us', '11,007 us']) expect(transit).toContain(figure);
    const sendLag = lineWith(text, '  send lag  ');
    for (const figure of ['31 us', '255 us', '1,023 us']) expect(sendLag).toContain(figure);
  });

  it('shows throughput against the target', () => {
    const section = text.slice(text.indexOf('Throughput'), text.indexOf('Instances'));
    expect(lineWith(section, 'target')).toMatch(/target\s+1,000\.0 events\/s$/);
    expect(lineWith(section, 'published')).toMatch(/published\s+999\.9 events\/s$/);
    expect(lineWith(section, 'delivered')).toMatch(/delivered\s+3,999\.6 events\/s$/);
  });

  it('has one aligned row per instance', () => {
    const header = lineWith(text, 'clock off us');
    for (const column of [
      '#',
      'pid',
      'instance',
      'published',
      'delivered',
      'lost',
      'dup',
      'self-echo',
      'self-recv',
      'p50 us',
      'p99 us',
      'max us',
      'RSS MiB',
      'CPU %',
      'ELD p99 us',
    ]) {
      expect(header).toContain(column);
    }
    const rows = text.split('\n').filter((line) => /^\s+\d\s+4100\d\s/.test(line));
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((row) => row.length)).size).toBe(1);
    expect(rows[0]).toContain('7c9e66…90a00');
    // Every clock shared (one host): no clock error column and no bound line.
    expect(header).not.toContain('clock +- us');
    expect(text).not.toContain('clock error bound');
    expect(rows[1]).toMatch(
      /41002\s+7c9e66…90a01\s+6,000\s+24,000\s+0\s+0\s+6,000\s+0\s+797\s+2,024\s+11,850\s+0\s+85\.0\s+13\.5\s+1,320$/,
    );
  });

  it('lists no lost ranges or problems, and the thresholds with the verdict last', () => {
    expect(text).toContain('Lost ranges: none');
    expect(text).toContain('Problems: none');
    expect(lineWith(text, 'delivery==100%')).toMatch(/^\s+PASS\s+delivery==100%\s+actual: 100%$/);
    expect(lineWith(text, 'amplification==4')).toMatch(/PASS\s+amplification==4\s+actual: 4$/);
    expect(text.split('\n').at(-1)).toBe('RESULT: PASS (3 of 3 thresholds hold)');
  });

  it('prints no colour codes unless asked, and colours PASS when asked', () => {
    expect(text).not.toContain('\x1b[');
    const colored = renderReport(report, { color: true });
    expect(colored).toContain('\x1b[32mPASS\x1b[0m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
  });
});

describe('renderReport on a lossy, interrupted run', () => {
  const report = lossyReport();
  const text = renderReport(report);

  it('says the run did not complete', () => {
    expect(text).toContain('outcome: interrupted; the figures cover only what was measured');
  });

  it('shows the shortfall without rounding it away', () => {
    expect(lineWith(text, 'delivery ratio')).toMatch(/99\.9583%$/);
    expect(lineWith(text, 'amplification')).toContain('3.99836666667 (expected 4)');
    expect(lineWith(text, 'lost ')).toMatch(/ 50$/);
    expect(lineWith(text, 'duplicates')).toMatch(/ 1$/);
  });

  it('states a receiver mismatch on one clear line', () => {
    expect(lineWith(text, 'MISMATCH')).toBe(
      '  RECEIVERS MISMATCH: Redis reported 150,000, instances counted 149,951: Redis sent 49 deliveries the instances never counted',
    );
  });

  it('says how a worker ended early', () => {
    expect(text).toContain('worker 3 (pid 41004) ended early (signal SIGKILL): killed by the test');
  });

  it('gives the latency its clock error bound, and each estimated clock its own, when an instance had its own clock', () => {
    expect(lineWith(text, 'clock error bound')).toBe(
      '  clock error bound: +-312 us on every latency and transit figure (instances on clocks of their own, corrected by estimated offsets)',
    );
    expect(lineWith(text, 'clock off us')).toMatch(/clock \+- us$/);
    const rows = text.split('\n').filter((line) => /^\s+\d\s+4100\d\s/.test(line));
    expect(rows[0]).toMatch(/\s0\s.*\sshared$/);
    expect(rows[4]).toMatch(/\s41,877,208,113\s.*\s312$/);
  });

  it('lists the first lost ranges and counts the rest', () => {
    expect(text).toContain('Lost ranges (25 ranges, 50 events)');
    const rows = text.split('\n').filter((line) => /^\s+[01]\s+3\s+\d+\s+\d+\s+2$/.test(line));
    expect(rows).toHaveLength(LOST_RANGES_SHOWN);
    expect(rows[0]).toMatch(/0\s+3\s+1000\s+1001\s+2$/);
    expect(text).toContain('... and 5 more ranges');
  });

  it('lists problems on one line each', () => {
    expect(text).toContain('  - worker 3 (pid 41004): stopped answering stats requests | last seen 2s ago');
  });

  it('marks each threshold and gives the reasons for the verdict', () => {
    expect(lineWith(text, 'delivery==100%')).toMatch(/FAIL\s+delivery==100%\s+actual: 99\.9583%$/);
    expect(lineWith(text, 'selfReceived==0')).toMatch(/PASS\s+selfReceived==0/);
    expect(lineWith(text, 'p99<2ms')).toMatch(/FAIL\s+p99<2ms\s+actual: 2,047 us$/);
    expect(text.split('\n').at(-1)).toBe('RESULT: FAIL (3 of 4 thresholds failed; the run was interrupted)');
    expect(renderReport(report, { color: true })).toContain('\x1b[31mFAIL\x1b[0m');
  });
});

describe('renderReport edge cases', () => {
  it('never prints PASS without a threshold behind it', () => {
    const report = sampleReport();
    report.thresholds = [];
    const text = renderReport(report);
    expect(text).toContain('none were evaluated');
    expect(text.split('\n').at(-1)).toBe('RESULT: PASS, but no threshold was evaluated: nothing was judged');
  });

  it('shows a threshold without data as such', () => {
    const report = sampleReport();
    report.passed = false;
    report.thresholds = [{ expression: 'p99<5ms', actual: null, passed: false }];
    const text = renderReport(report);
    expect(lineWith(text, 'p99<5ms')).toMatch(/FAIL\s+p99<5ms\s+actual: no data$/);
    expect(text.split('\n').at(-1)).toBe('RESULT: FAIL (1 of 1 thresholds failed)');
  });

  it('redacts a password that reached the report URL', () => {
    const report = sampleReport();
    report.run.redis = { version: '7.2.4', url: 'redis://:hunter2@10.0.0.5:6379', private: false };
    const text = renderReport(report);
    expect(text).not.toContain('hunter2');
    expect(lineWith(text, 'redis ')).toContain('redis://:***@10.0.0.5:6379 (external)');
  });

  it('reports a run with no latency samples and no instances', () => {
    const report = sampleReport();
    report.latencyUs = { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
    report.instances = [];
    const text = renderReport(report);
    expect(text).toContain('no latency samples were recorded');
    expect(text).toContain('Instances (0)\n  none');
  });

  it('says when the instances counted more receivers than Redis reported', () => {
    const report = sampleReport();
    report.totals.instancesCountedReceivers += 2;
    expect(renderReport(report)).toContain('the instances counted 2 deliveries more than Redis reported sending');
  });
});
