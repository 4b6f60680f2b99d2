import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/config/exit-codes.js';
import { helpText } from '../src/cli/help.js';
import { OPTION_SPECS } from '../src/cli/option-specs.js';
import { optionNames, parseCliArgs } from '../src/cli/options.js';
import { METRIC_NAMES } from '../src/model/metrics.js';

describe('helpText', () => {
  const text = helpText();
  const lineOf = (flag: string): string => {
    const line = text
      .split('\n')
      .find(
        (candidate) =>
          candidate.includes(`--${flag} `) ||
          candidate.endsWith(`--${flag}`) ||
          candidate.includes(`--${flag}  `) ||
          candidate.includes(`--${flag}[=`),
      );
    if (line === undefined) throw new Error(`no help line for --${flag}`);
    return line;
  };

  it('lists every option the parser accepts', () => {
    expect(optionNames()).toEqual([
      'procs',
      'rate',
      'duration',
      'warmup',
      'payload',
      'redis',
      'topology',
      'redis-ca',
      'json',
      'junit',
      'html',
      'summary-md',
      'dashboard',
      'threshold',
      'log-level',
      'driver',
      'pacer',
      'mode',
      'isolate',
      'identity',
      'delivery',
      'allow-collisions',
      'compare-modes',
      'conformance',
      'drain-timeout',
      'ready-timeout',
      'stats-timeout',
      'find-max',
      'slo-p99',
      'slo-publish',
      'step-duration',
      'step-warmup',
      'max-steps',
      'fault',
      'fault-target',
      'fault-seed',
      'listen',
      'expect-workers',
      'arrival-timeout',
      'token-file',
      'tls-cert',
      'tls-key',
      'redis-bind',
      'help',
    ]);
    for (const name of optionNames()) expect(lineOf(name)).toContain(`--${name}`);
    expect(lineOf('help')).toContain('-h, --help');
    // An optional value shows as such.
    expect(lineOf('dashboard')).toMatch(/^ {2}--dashboard\[=<port>\] +serve the run live/);
  });

  it('shows each default next to its option', () => {
    expect(lineOf('procs')).toContain('(default: 5)');
    expect(lineOf('rate')).toContain('(default: 1000)');
    expect(lineOf('duration')).toContain('(default: 30s)');
    expect(lineOf('warmup')).toContain('(default: 5s)');
    expect(lineOf('payload')).toContain('(default: 256)');
    expect(lineOf('redis')).toContain('(default: $REDIS_URL, else a private redis-server)');
    expect(lineOf('log-level')).toContain('(default: info)');
    expect(lineOf('drain-timeout')).toContain('(default: 5s)');
    expect(lineOf('ready-timeout')).toContain('(default: 15s)');
    for (const spec of OPTION_SPECS) {
      if (spec.defaultText !== undefined) expect(lineOf(spec.name)).toContain(`(default: ${spec.defaultText})`);
    }
  });

  it('documents the threshold syntax, the defaults and every metric', () => {
    expect(text).toContain('METRIC OP VALUE');
    expect(text).toContain('Operators: < <= > >= == !=');
    expect(text).toContain('delivery==100%, selfReceived==0, amplification==N-1');
    for (const name of METRIC_NAMES) expect(text).toMatch(new RegExp(`^    ${name} `, 'm'));
  });

  it('documents the exit codes', () => {
    expect(text).toMatch(new RegExp(`^  ${EXIT_CODES.passed}  .*every threshold holds`, 'm'));
    expect(text).toMatch(new RegExp(`^  ${EXIT_CODES.thresholdFailed}  a threshold failed`, 'm'));
    expect(text).toMatch(new RegExp(`^  ${EXIT_CODES.runFailed}  the run could not be carried out`, 'm'));
    expect(text).toMatch(/^  130\/143  interrupted by SIGINT\/SIGTERM: the partial report/m);
    expect(EXIT_CODES).toEqual({
      passed: 0,
      thresholdFailed: 1,
      runFailed: 2,
      interruptedBySigint: 130,
      interruptedBySigterm: 143,
    });
  });

  it('is what parseCliArgs returns for --help', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ kind: 'help', text });
  });
});
