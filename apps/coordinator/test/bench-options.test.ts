import { describe, expect, it } from 'vitest';
import { BENCH_DEFAULTS } from '../src/config/bench-defaults.js';
import { parseBenchArgs, type BenchOptions } from '../src/bench/options.js';
import { BENCH_OPTION_SPECS } from '../src/bench/option-specs.js';

function run(argv: string[]): BenchOptions {
  const result = parseBenchArgs(argv);
  if (result.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(result)}`);
  return result.options;
}

function error(argv: string[]): string {
  const result = parseBenchArgs(argv);
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  expect(result.message).not.toContain('\n');
  return result.message;
}

describe('parseBenchArgs', () => {
  it('defaults to 5 procs at 1000/s, 10s after 3s warmup, 3 pairs, 256 B, one open-loop pacer, appending, default JSON path', () => {
    expect(run([])).toEqual({
      procsList: [5],
      rateEventsPerSec: 1000,
      durationMs: 10_000,
      warmupMs: 3_000,
      pairs: 3,
      payloadBytes: 256,
      pacer: 'open-loop',
      jsonPath: undefined,
      append: true,
      findMax: false,
      findMaxStep: { durationMs: undefined, warmupMs: undefined },
      logLevel: 'info',
      allowLoad: false,
      quietWaitMs: 120_000,
    });
    expect(BENCH_DEFAULTS.pairs).toBeGreaterThanOrEqual(3);
  });

  it('reads every option with the harness parsers (durations, sizes, decimals)', () => {
    const options = run([
      '--procs=7',
      '--rate',
      '2.5',
      '--duration=1.5s',
      '--warmup=0s',
      '--pairs=4',
      '--payload=1kib',
      '--json',
      'out/b.json',
      '--no-append',
      '--log-level=debug',
    ]);
    expect(options).toMatchObject({
      procsList: [7],
      rateEventsPerSec: 2.5,
      durationMs: 1500,
      warmupMs: 0,
      pairs: 4,
      payloadBytes: 1024,
      jsonPath: 'out/b.json',
      append: false,
      logLevel: 'debug',
    });
  });

  it('takes a comma list as a sweep, from --procs or --sweep-procs', () => {
    expect(run(['--procs=2,5,10,20']).procsList).toEqual([2, 5, 10, 20]);
    expect(run(['--sweep-procs', '2, 5,10']).procsList).toEqual([2, 5, 10]);
  });

  it('keeps --duration and --warmup as find-max step settings only when given', () => {
    const options = run(['--find-max', '--procs=3', '--duration=4s']);
    expect(options.findMax).toBe(true);
    expect(options.findMaxStep).toEqual({ durationMs: 4000, warmupMs: undefined });
  });

  it('rejects bad values with one line naming the option and what it accepts', () => {
    expect(error(['--pairs=0'])).toBe('--pairs must be an integer from 1 to 100 (got "0")');
    expect(error(['--pairs=two'])).toMatch(/^--pairs must be an integer from 1 to 100/);
    expect(error(['--procs=2,x'])).toMatch(/^--procs must be .*comma list.* \(got "2,x"\); "x" is not one$/);
    expect(error(['--procs=2,,5'])).toMatch(/an empty item in the list$/);
    expect(error(['--procs=2,5,2'])).toMatch(/2 is listed twice$/);
    expect(error(['--procs=0'])).toMatch(/^--procs must be an integer from 2 to 256/);
    expect(run(['--pacer=naive-interval']).pacer).toBe('naive-interval');
    expect(error(['--pacer=busy'])).toBe('--pacer must be open-loop, precise or naive-interval (got "busy")');
    expect(run(['--allow-load', '--quiet-wait=30s'])).toMatchObject({ allowLoad: true, quietWaitMs: 30_000 });
    expect(error(['--procs=5,1'])).toMatch(
      /^--procs must be .* \(got "5,1"\); with 1 instance no event has a peer to reach/,
    );
    expect(error(['--duration=10'])).toMatch(/^--duration must be .*add a unit: "10s" or "10ms"$/);
    expect(error(['--warmup=-1s'])).toMatch(/--warmup/);
    expect(error(['--rate=0'])).toMatch(/^--rate must be .*not greater than 0$/);
    expect(error(['--payload=2mib'])).toMatch(/^--payload must be a size from 0 to 1 MiB/);
    expect(error(['--log-level=loud'])).toMatch(/^--log-level must be one of fatal, error/);
  });

  it('rejects conflicting or misplaced options, naming the fix', () => {
    expect(error(['--procs=2', '--sweep-procs=2,5'])).toBe(
      '--procs and --sweep-procs both name the process counts; give one of them',
    );
    expect(error(['--find-max', '--procs=2,5'])).toMatch(
      /^--find-max searches one process count: give --procs N, not a list/,
    );
    expect(error(['--find-max', '--pairs=2'])).toMatch(/^--pairs does not apply to --find-max.*drop --pairs$/);
    expect(error(['--pairs=2', '--pairs=3'])).toBe('--pairs was given more than once; give it once');
    expect(error(['--no-append=yes'])).toBe('--no-append takes no value');
    expect(error(['--pairs'])).toMatch(/^--pairs needs a value: an integer from 1 to 100/);
    expect(error(['--bogus'])).toBe('unknown option --bogus; run with --help to list the options');
    expect(error(['5'])).toMatch(/^unexpected argument "5": the bench takes options only/);
  });

  it('answers --help with text listing every option, even next to a bad one', () => {
    const result = parseBenchArgs(['--pairs=0', '--help']);
    expect(result.kind).toBe('help');
    if (result.kind !== 'help') return;
    for (const spec of BENCH_OPTION_SPECS) expect(result.text).toContain(`--${spec.name}`);
    expect(result.text).toContain('(default: 3)');
  });
});
