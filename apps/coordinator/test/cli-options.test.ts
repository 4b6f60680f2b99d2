import { describe, expect, it } from 'vitest';
import { HARNESS_DEFAULTS } from '../src/config/defaults.js';
import { parseCliArgs } from '../src/cli/options.js';
import { parseError as error, parsedOptions as run } from './support/parse-cli.js';

const NO_ENV: NodeJS.ProcessEnv = {};

describe('parseCliArgs defaults', () => {
  it('gives the documented defaults with no arguments', () => {
    const options = run([]);
    expect(options).toMatchObject({
      procs: 5,
      rateEventsPerSec: 1_000,
      durationMs: 30_000,
      warmupMs: 5_000,
      payloadBytes: 256,
      redisUrl: undefined,
      redisUrlSource: undefined,
      jsonPath: undefined,
      logLevel: 'info',
      drainTimeoutMs: 5_000,
      readyTimeoutMs: 15_000,
    });
    expect(options.thresholds.map((spec) => spec.expression)).toEqual([
      'delivery==100%',
      'selfReceived==0',
      'amplification==4',
      'publishRatio==100%',
    ]);
  });

  it('takes its defaults from the one defaults object', () => {
    const options = run([]);
    expect(options.procs).toBe(HARNESS_DEFAULTS.procs);
    expect(options.durationMs).toBe(HARNESS_DEFAULTS.durationMs);
    expect(options.readyTimeoutMs).toBe(HARNESS_DEFAULTS.readyTimeoutMs);
  });
});

describe('parseCliArgs values', () => {
  it('accepts every option, both as --name value and --name=value', () => {
    const spaced = run([
      '--procs',
      '8',
      '--rate',
      '2500.5',
      '--duration',
      '1.5m',
      '--warmup',
      '0s',
      '--payload',
      '4kib',
      '--redis',
      'redis://127.0.0.1:6390',
      '--json',
      'out/report.json',
      '--threshold',
      'p99<5ms',
      '--threshold',
      'lost==0',
      '--log-level',
      'debug',
      '--drain-timeout',
      '2s',
      '--ready-timeout',
      '1m',
    ]);
    const inline = run([
      '--procs=8',
      '--rate=2500.5',
      '--duration=1.5m',
      '--warmup=0s',
      '--payload=4kib',
      '--redis=redis://127.0.0.1:6390',
      '--json=out/report.json',
      '--threshold=p99<5ms',
      '--threshold=lost==0',
      '--log-level=debug',
      '--drain-timeout=2s',
      '--ready-timeout=1m',
    ]);
    expect(inline).toEqual(spaced);
    expect(spaced).toMatchObject({
      procs: 8,
      rateEventsPerSec: 2500.5,
      durationMs: 90_000,
      warmupMs: 0,
      payloadBytes: 4_096,
      redisUrl: 'redis://127.0.0.1:6390',
      redisUrlSource: 'option',
      jsonPath: 'out/report.json',
      logLevel: 'debug',
      drainTimeoutMs: 2_000,
      readyTimeoutMs: 60_000,
    });
    expect(spaced.thresholds.map((spec) => spec.expression)).toEqual([
      'delivery==100%',
      'selfReceived==0',
      'amplification==7',
      'publishRatio==100%',
      'p99<5ms',
      'lost==0',
    ]);
  });

  it('accepts the bounds of --procs and --payload', () => {
    expect(run(['--procs', '2']).procs).toBe(2);
    expect(run(['--procs', '256']).procs).toBe(256);
    expect(run(['--payload', '0']).payloadBytes).toBe(0);
    expect(run(['--payload', '1mib']).payloadBytes).toBe(1_048_576);
  });

  it('takes --pacer for every driver, open-loop by default', () => {
    expect(run([]).pacer).toBe('open-loop');
    expect(run(['--driver=raw']).pacer).toBe('open-loop');
    expect(run(['--driver=evbridge', '--pacer=naive-interval'])).toMatchObject({
      driver: 'evbridge',
      pacer: 'naive-interval',
    });
    expect(error(['--pacer=fast'])).toBe('--pacer must be open-loop, precise or naive-interval (got "fast")');
  });

  it('takes a built-in driver by name or a module by path; --transport is gone with the fix named', () => {
    expect(run([]).driver).toBe('evbridge');
    expect(run(['--driver=socketio']).driver).toBe('socketio');
    expect(run(['--driver', './my-driver.js']).driver).toBe('./my-driver.js');
    expect(run(['--driver=/abs/driver.mjs']).driver).toBe('/abs/driver.mjs');
    expect(error(['--driver=socket.io'])).toMatch(
      /^--driver must be one of evbridge, .*socketio-streams.*, or a path to a driver module \(docs\/drivers\.md\) \(got "socket\.io"\); no built-in driver is called "socket\.io"; a module path needs a \/ or a \.js ending$/,
    );
    expect(error(['--transport=raw'])).toBe(
      '--transport is gone: use --driver instead: --driver=evbridge (was --transport=bridge) or --driver=raw (see --help for every driver)',
    );
    expect(error(['--procs=3', '--transport', 'bridge'])).toMatch(/^--transport is gone: use --driver/);
  });

  it('refuses a single process at parse time, saying why: no event would have a peer to reach', () => {
    expect(error(['--procs', '1'])).toBe(
      '--procs must be an integer from 2 to 256 (got "1"); with 1 instance no event has a peer to reach, so nothing would be measured',
    );
    expect(run(['--procs', '2']).thresholds.map((spec) => spec.expression)).toContain('amplification==1');
  });

  it('lets a user threshold replace the default on the same metric', () => {
    const thresholds = run(['--threshold', 'delivery>=99.9%']).thresholds.map((spec) => spec.expression);
    expect(thresholds).toEqual(['selfReceived==0', 'amplification==4', 'publishRatio==100%', 'delivery>=99.9%']);
  });

  it('reads REDIS_URL when --redis is absent, and prefers --redis', () => {
    const env = { REDIS_URL: 'rediss://:pw@cache.example.com:6380' };
    expect(run([], env)).toMatchObject({ redisUrl: 'rediss://:pw@cache.example.com:6380', redisUrlSource: 'env' });
    expect(run(['--redis', 'redis://127.0.0.1:7000'], env)).toMatchObject({
      redisUrl: 'redis://127.0.0.1:7000',
      redisUrlSource: 'option',
    });
    expect(run([], { REDIS_URL: '' })).toMatchObject({ redisUrl: undefined, redisUrlSource: undefined });
  });

  it('--summary-md names a file; GITHUB_STEP_SUMMARY names the file to append to, with or without it', () => {
    expect(run(['--summary-md', 'out/summary.md'])).toMatchObject({
      summaryMdPath: 'out/summary.md',
      stepSummaryPath: undefined,
    });
    expect(run([], { GITHUB_STEP_SUMMARY: '/runner/_temp/step_summary' })).toMatchObject({
      summaryMdPath: undefined,
      stepSummaryPath: '/runner/_temp/step_summary',
    });
    expect(run([], { GITHUB_STEP_SUMMARY: '' }).stepSummaryPath).toBeUndefined();
  });

  it('accepts every pino level', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      expect(run(['--log-level', level]).logLevel).toBe(level);
    }
  });
});

describe('parseCliArgs help', () => {
  it('returns help for --help and -h, even next to bad arguments', () => {
    for (const argv of [['--help'], ['-h'], ['--procs', 'abc', '--help'], ['--nope', '-h'], ['-h', 'stray']]) {
      const result = parseCliArgs(argv, NO_ENV);
      expect(result.kind).toBe('help');
      if (result.kind === 'help') expect(result.text).toContain('--procs');
    }
  });
});

describe('parseCliArgs errors', () => {
  it.each([
    [['--procs', 'abc'], '--procs must be an integer from 2 to 256 (got "abc")'],
    [
      ['--procs', '0'],
      '--procs must be an integer from 2 to 256 (got "0"); with 0 instances no event has a peer to reach, so nothing would be measured',
    ],
    [['--procs', '257'], '--procs must be an integer from 2 to 256 (got "257")'],
    [['--procs', '2.5'], '--procs must be an integer from 2 to 256 (got "2.5")'],
  ])('%j -> %s', (argv, expected) => {
    expect(error(argv)).toBe(expected);
  });

  it.each([
    [['--rate', '0'], '--rate must be'],
    [['--rate', 'fast'], '--rate must be'],
    [['--rate=-5'], '--rate must be'],
    [['--rate', '1e3'], '--rate must be'],
    [['--duration', '30'], '--duration must be a duration'],
    [['--duration', '0s'], '--duration must be a duration from 1ms'],
    [['--duration', '25h'], '--duration must be a duration from 1ms to 24h'],
    [['--warmup', '5'], '--warmup must be a duration from 0s'],
    [['--payload', '2mib'], '--payload must be a size from 0 to 1 MiB'],
    [['--payload', 'big'], '--payload must be a size'],
    [['--redis', 'http://127.0.0.1:6379'], '--redis must be a redis:// or rediss:// URL'],
    [['--redis', 'not a url'], '--redis must be a redis:// or rediss:// URL'],
    [['--redis', 'redis://'], '--redis must be a redis:// or rediss:// URL'],
    [['--json', ''], '--json must be a file path'],
    [['--threshold', 'p98<5ms'], '--threshold must be METRIC OP VALUE'],
    [['--threshold', 'p99<5'], '--threshold must be METRIC OP VALUE'],
    [['--log-level', 'verbose'], '--log-level must be one of fatal, error, warn, info, debug, trace, silent'],
    [['--drain-timeout', '0s'], '--drain-timeout must be a duration from 1ms'],
    [['--ready-timeout', 'soon'], '--ready-timeout must be a duration'],
  ])('%j names the option and what it accepts', (argv, start) => {
    const message = error(argv);
    expect(message.startsWith(start)).toBe(true);
    expect(message).toContain(`(got ${JSON.stringify(argv.at(-1)?.replace(/^--[a-z-]+=/, ''))})`);
  });

  it('explains an ambiguous bare duration', () => {
    expect(error(['--duration', '30'])).toContain('add a unit: "30s" or "30ms"');
  });

  it('names the unknown metric and lists the known ones', () => {
    const message = error(['--threshold', 'p98<5ms']);
    expect(message).toContain('unknown metric "p98"');
    expect(message).toContain('p99');
    expect(message).toContain('delivery');
  });

  it('rejects unknown options with a pointer to --help', () => {
    expect(error(['--foo'])).toBe('unknown option --foo; run with --help to list the options');
    expect(error(['--foo=1'])).toBe('unknown option --foo; run with --help to list the options');
    expect(error(['-x'])).toBe('unknown option -x; run with --help to list the options');
  });

  it('rejects positional arguments', () => {
    expect(error(['30s'])).toBe(
      'unexpected argument "30s": the harness takes options only; run with --help to list them',
    );
  });

  it('says when a value is missing', () => {
    expect(error(['--procs'])).toMatch(/^--procs needs a value: an integer from 2 to 256/);
    expect(error(['--procs', '--rate', '5'])).toMatch(/^--procs needs a value/);
    expect(error(['--help=yes'])).toBe('--help takes no value');
  });

  it('rejects a single-valued option given twice', () => {
    expect(error(['--procs', '5', '--procs=6'])).toBe('--procs was given more than once; give it once');
  });

  it('never echoes a Redis password', () => {
    const fromOption = error(['--redis', 'http://:hunter2@127.0.0.1:6379']);
    expect(fromOption).not.toContain('hunter2');
    expect(fromOption).toContain('***');
    const unparsable = error(['--redis', 'redis://:hunter2@127.0.0.1:port']);
    expect(unparsable).not.toContain('hunter2');
    const fromEnv = error([], { REDIS_URL: 'http://user:hunter2@127.0.0.1' });
    expect(fromEnv).not.toContain('hunter2');
    expect(fromEnv).toMatch(/^REDIS_URL \(environment\) must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(fromEnv).toContain('pass --redis');
  });

  it('never throws for hostile input', () => {
    for (const argv of [
      ['--'],
      ['-'],
      ['---'],
      ['--procs', '\n'],
      ['--threshold', ''],
      ['--=x'],
      ['--threshold', 'p99<<5ms'],
    ]) {
      expect(() => parseCliArgs(argv, NO_ENV)).not.toThrow();
      const result = parseCliArgs(argv, NO_ENV);
      if (result.kind === 'error') expect(result.message).not.toContain('\n');
    }
  });
});

describe('--dashboard[=PORT]', () => {
  it('serves on the default port when bare, on the given one with =, and nowhere when absent', () => {
    expect(run([]).dashboardPort).toBeUndefined();
    expect(run(['--dashboard']).dashboardPort).toBe(HARNESS_DEFAULTS.dashboardPort);
    expect(run(['--dashboard=0']).dashboardPort).toBe(0);
    expect(run(['--dashboard=8080', '--procs=3'])).toMatchObject({ dashboardPort: 8080, procs: 3 });
  });

  it('refuses a bad port, a value after a space, and a command with no single run to show', () => {
    expect(error(['--dashboard=70000'])).toMatch(/^--dashboard must be a port number from 0 to 65535/);
    expect(error(['--dashboard', '8080'])).toMatch(/unexpected argument "8080"/);
    expect(error(['--dashboard', '--find-max'])).toBe(
      '--dashboard shows a single run and does not apply with --find-max: drop one of them',
    );
  });
});
