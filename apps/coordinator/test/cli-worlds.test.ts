// The options that choose the world a run measures: --mode, --isolate, --identity, --allow-collisions, --compare-modes.
import { describe, expect, it } from 'vitest';
import { parseError as error, parsedOptions as run } from './support/parse-cli.js';

describe('world options', () => {
  it('defaults to one process per instance, no PID namespace, the collision-proof identity', () => {
    expect(run([])).toMatchObject({
      mode: 'procs',
      isolate: 'none',
      identity: 'default',
      allowCollisions: false,
      compareModes: false,
    });
  });

  it('takes each value', () => {
    expect(run(['--mode=threads', '--identity=pid', '--allow-collisions'])).toMatchObject({
      mode: 'threads',
      identity: 'pid',
      allowCollisions: true,
    });
    expect(run(['--isolate', 'pidns'])).toMatchObject({ mode: 'procs', isolate: 'pidns' });
    expect(run(['--compare-modes', '--identity=pid'])).toMatchObject({ compareModes: true, identity: 'pid' });
  });

  it.each([
    [['--mode=thread'], '--mode must be procs or threads (got "thread")'],
    [['--isolate=docker'], '--isolate must be none or pidns (got "docker")'],
    [['--identity=uuid'], '--identity must be default or pid (got "uuid")'],
  ])('names the accepted values: %j', (argv, message) => {
    expect(error(argv)).toBe(message);
  });

  it.each([
    [['--mode=threads', '--isolate=pidns'], /--isolate=pidns .* --mode=threads has one process; drop one of them/],
    [['--compare-modes', '--mode=procs'], /--compare-modes runs both .*; drop --mode/],
    [['--compare-modes', '--find-max'], /--compare-modes does not apply with --find-max/],
    [['--compare-modes', '--isolate=pidns'], /run --isolate=pidns on its own/],
    [['--mode=threads', '--fault=stop-worker@1s:1s'], /stops a worker process with SIGSTOP.*run --mode=procs/],
    [['--compare-modes', '--fault=slow-consumer@1s:1s'], /a worker thread cannot be stopped alone/],
  ])('refuses combinations that cannot mean anything: %j', (argv, pattern) => {
    expect(error(argv)).toMatch(pattern);
  });
});
