// --fault KIND@TIME[:DURATION], --fault-target and --fault-seed: parsing alone, against the run's options, and at the real CLI.
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli/options.js';
import type { FaultSpec } from '../src/config/fault-spec.js';
import { checkFaultTimes, formatFault, parseFault } from '../src/faults/parse-fault.js';
import { chooseFaultTarget, FAULT_SEED_MAX, pickTarget } from '../src/faults/fault-target.js';
import { startHarness } from './support/harness-cli.js';
import { parseError as error, parsedOptions as options } from './support/parse-cli.js';

function ok(text: string): FaultSpec {
  const result = parseFault(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.reason}`);
  return result.value;
}

function reason(text: string): string {
  const result = parseFault(text);
  if (result.ok) throw new Error(`expected ${text} to be rejected, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

describe('parseFault', () => {
  it('reads KIND@TIME:DURATION in whole milliseconds', () => {
    expect(ok('block-worker@5s:500ms')).toEqual({ kind: 'block-worker', atMs: 5000, durationMs: 500 });
    expect(ok('pause-redis@1.5s:2s')).toEqual({ kind: 'pause-redis', atMs: 1500, durationMs: 2000 });
    expect(ok('pause-redis-writes@0s:1m')).toEqual({ kind: 'pause-redis-writes', atMs: 0, durationMs: 60_000 });
    expect(ok(' block-worker@250ms:1.25s ')).toEqual({ kind: 'block-worker', atMs: 250, durationMs: 1250 });
  });

  it('says what is wrong with each part', () => {
    expect(reason('block-worker')).toMatch(/no "@"/);
    expect(reason('kill-everything@1s:1s')).toMatch(/unknown kind "kill-everything"/);
    expect(reason('block-worker@1s')).toBe('block-worker needs a duration: write block-worker@TIME:DURATION');
    expect(reason('block-worker@5:500ms')).toMatch(/^TIME "5": a bare number is ambiguous/);
    expect(reason('block-worker@-1s:500ms')).toMatch(/^TIME "-1s"/);
    expect(reason('block-worker@1s:500')).toMatch(/^DURATION "500": a bare number is ambiguous/);
    expect(reason('block-worker@1s:0ms')).toBe('DURATION must be more than 0ms');
    expect(reason('block-worker@1s:')).toMatch(/^DURATION ""/);
    expect(reason('block-worker@1s:500ms:2s')).toMatch(/^DURATION "500ms:2s"/);
  });

  it('formats a fault back to its canonical text', () => {
    for (const text of ['block-worker@5s:500ms', 'pause-redis@1.5s:2s', 'pause-redis-writes@0s:1m']) {
      expect(formatFault(ok(text))).toBe(text);
    }
  });

  it('accepts a time inside the measured window only', () => {
    expect(checkFaultTimes([ok('block-worker@2.999s:500ms')], 3000)).toBeUndefined();
    expect(checkFaultTimes([ok('block-worker@1s:500ms'), ok('pause-redis@3s:1s')], 3000)).toMatch(
      /^--fault pause-redis@3s:1s is at 3s, not inside the measured window \(--duration 3s\)/,
    );
  });
});

describe('--fault and --fault-target on the command line', () => {
  it('collects repeated faults in order; without --fault-target a seed picks the target and is kept', () => {
    const parsed = options(['--duration=10s', '--fault', 'block-worker@1s:500ms', '--fault=pause-redis-writes@2s:1s']);
    expect(parsed.faults).toEqual([
      { kind: 'block-worker', atMs: 1000, durationMs: 500 },
      { kind: 'pause-redis-writes', atMs: 2000, durationMs: 1000 },
    ]);
    expect(parsed.faultSeed).toEqual(expect.any(Number));
    expect(parsed.faultTarget).toBe(pickTarget(parsed.faultSeed!, 5));
    expect(options([]).faults).toEqual([]);
    expect(options([]).faultTarget).toBeUndefined();
    expect(options(['--fault=pause-redis@1s:1s']).faultTarget).toBeUndefined();
    const named = options(['--procs=3', '--fault-target=2', '--fault=block-worker@1s:1s']);
    expect(named.faultTarget).toBe(2);
    expect(named.faultSeed).toBeUndefined();
  });

  it('replays a pick with --fault-seed, and every worker can be picked', () => {
    const seeded = options(['--procs=4', '--fault-seed=12345', '--fault=kill-worker@1s']);
    expect(seeded.faultSeed).toBe(12345);
    expect(seeded.faultTarget).toBe(pickTarget(12345, 4));
    expect(options(['--procs=4', '--fault-seed=12345', '--fault=stop-worker@1s:1s']).faultTarget).toBe(
      seeded.faultTarget,
    );
    const picked = new Set(Array.from({ length: 200 }, (_, seed) => pickTarget(seed, 4)));
    expect([...picked].sort()).toEqual([0, 1, 2, 3]);
    expect(pickTarget(FAULT_SEED_MAX, 1)).toBe(0);
    expect(chooseFaultTarget({ procs: 3, faults: [ok('kill-worker@1s')] }, () => 7)).toEqual({
      procs: 3,
      faults: [ok('kill-worker@1s')],
      faultTarget: pickTarget(7, 3),
      faultSeed: 7,
    });
  });

  it('reads every kind: instant ones without a duration', () => {
    expect(ok('kill-worker@2s')).toEqual({ kind: 'kill-worker', atMs: 2000, durationMs: 0 });
    expect(ok('kill-subscribers@2s')).toEqual({ kind: 'kill-subscribers', atMs: 2000, durationMs: 0 });
    expect(ok('kill-publishers@2s')).toEqual({ kind: 'kill-publishers', atMs: 2000, durationMs: 0 });
    expect(ok('stop-worker@2s:1s')).toEqual({ kind: 'stop-worker', atMs: 2000, durationMs: 1000 });
    expect(ok('restart-redis@5s:2s')).toEqual({ kind: 'restart-redis', atMs: 5000, durationMs: 2000 });
    expect(ok('slow-consumer@2s:5s')).toEqual({ kind: 'slow-consumer', atMs: 2000, durationMs: 5000 });
    expect(reason('kill-worker@2s:1s')).toBe('kill-worker takes no duration: write kill-worker@TIME');
    expect(reason('restart-redis@2s')).toBe('restart-redis needs a duration: write restart-redis@TIME:DURATION');
    for (const text of ['kill-worker@2s', 'restart-redis@5s:2s', 'kill-subscribers@1.5s'])
      expect(formatFault(ok(text))).toBe(text);
  });

  it('rejects a bad fault with one line naming the option and the accepted forms', () => {
    const message = error(['--fault', 'block-worker@1s']);
    expect(message).toMatch(
      /^--fault must be KIND@TIME\[:DURATION\] with KIND one of block-worker, kill-worker, stop-worker, pause-redis, pause-redis-writes, restart-redis, kill-subscribers, kill-publishers, slow-consumer, kill-master, failover, kill-node and/,
    );
    expect(message).toContain('block-worker@5s:500ms');
    expect(message).toContain('(got "block-worker@1s"); block-worker needs a duration');
    expect(error(['--fault', 'nap@1s:1s'])).toMatch(/^--fault must be .* \(got "nap@1s:1s"\); unknown kind "nap"$/);
  });

  it('rejects a fault at or after the end of the run', () => {
    expect(error(['--duration=3s', '--fault=block-worker@3s:500ms'])).toMatch(
      /^--fault block-worker@3s:500ms is at 3s, not inside/,
    );
    expect(error(['--fault=pause-redis@31s:1s'])).toMatch(/--duration 30s/);
  });

  it('checks --fault-target against --procs and against the faults given', () => {
    expect(error(['--procs=2', '--fault-target=2', '--fault=block-worker@1s:1s'])).toMatch(
      /^--fault-target must be a worker index from 0 to --procs minus 1 \(got "2"\)$/,
    );
    expect(error(['--procs=2', '--fault-target=1'])).toMatch(
      /^--fault-target names the worker a worker fault hits, and no --fault hits a worker/,
    );
    expect(error(['--procs=2', '--fault-target=1', '--fault=pause-redis@1s:1s'])).toMatch(/^--fault-target names/);
    expect(error(['--fault-target=0', '--fault-target=0', '--fault=block-worker@1s:1s'])).toMatch(
      /given more than once/,
    );
  });

  it('checks --fault-seed against --fault-target and the faults given', () => {
    expect(error(['--fault-seed=1', '--fault=pause-redis@1s:1s'])).toMatch(
      /^--fault-seed picks the worker a worker fault hits when --fault-target is not given/,
    );
    expect(error(['--fault-seed=1', '--fault-target=0', '--fault=kill-worker@1s'])).toMatch(/^--fault-seed picks/);
    expect(error(['--fault-seed=-1', '--fault=kill-worker@1s'])).toMatch(
      /^--fault-seed must be an integer from 0 to 2147483647/,
    );
  });

  it('refuses restart-redis with a Redis named by --redis or REDIS_URL: it stops and starts the private one only', () => {
    expect(error(['--redis=redis://127.0.0.1:6379', '--fault=restart-redis@1s:1s'])).toBe(
      '--fault restart-redis@1s:1s stops and starts the private redis-server the harness runs, not a Redis named by --redis or REDIS_URL; drop the URL (unset REDIS_URL) or this fault',
    );
    const fromEnv = parseCliArgs(['--fault=restart-redis@1s:1s'], { REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(fromEnv.kind).toBe('error');
    expect(options(['--fault=restart-redis@1s:1s']).faults).toEqual([
      { kind: 'restart-redis', atMs: 1000, durationMs: 1000 },
    ]);
  });

  it('rejects a fault with --find-max, whose every step it would hit', () => {
    expect(error(['--find-max', '--fault=block-worker@1s:500ms'])).toMatch(/^--fault does not apply with --find-max/);
  });

  it('the built CLI exits 2 with that one line, starting nothing', async () => {
    const result = await startHarness(['--fault', 'block-worker@5s']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^evbridge harness: --fault must be .*block-worker@5s:500ms/);
  });
});
