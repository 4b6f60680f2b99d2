// --listen and its companions: procs stays the run's total, local workers are what is left; every combination that
// cannot run is refused in one line naming the fix.
import { describe, expect, it } from 'vitest';
import { localWorkerCount } from '../src/config/harness-options.js';
import { parseError as error, parsedOptions as run } from './support/parse-cli.js';

describe('--listen options', () => {
  it('counts remote workers in procs: --listen alone means no local worker', () => {
    const remoteOnly = run(['--listen', '127.0.0.1:7400', '--expect-workers', '3']);
    expect(remoteOnly).toMatchObject({
      procs: 3,
      expectWorkers: 3,
      listen: { host: '127.0.0.1', port: 7400 },
      arrivalTimeoutMs: 120_000,
    });
    expect(localWorkerCount(remoteOnly)).toBe(0);
    const mixed = run(['--procs=2', '--listen=[::1]:0', '--expect-workers=2', '--arrival-timeout=30s']);
    expect(mixed).toMatchObject({
      procs: 4,
      expectWorkers: 2,
      listen: { host: '::1', port: 0 },
      arrivalTimeoutMs: 30_000,
    });
    expect(localWorkerCount(mixed)).toBe(2);
    expect(run(['--procs=1', '--listen=127.0.0.1:1', '--expect-workers=1']).procs).toBe(2);
    // Rate per worker and the default thresholds follow the total.
    expect(mixed.thresholds.map((spec) => spec.expression)).toContain('amplification==3');
    expect(run([]).expectWorkers).toBeUndefined();
  });

  it('takes TLS files and the token file together with --listen', () => {
    const options = run([
      '--listen=127.0.0.1:7400',
      '--expect-workers=2',
      '--tls-cert=c.pem',
      '--tls-key=k.pem',
      '--token-file=t',
    ]);
    expect(options.tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem' });
    expect(options.tokenFile).toBe('t');
  });

  it('refuses what cannot run, naming the fix', () => {
    expect(error(['--expect-workers=2'])).toBe(
      '--expect-workers applies only with --listen (remote workers); add --listen HOST:PORT or drop --expect-workers',
    );
    expect(error(['--token-file=t'])).toMatch(/^--token-file applies only with --listen/);
    expect(error(['--listen=127.0.0.1:7400'])).toBe(
      '--listen waits for remote workers: say how many with --expect-workers N',
    );
    expect(error(['--listen=127.0.0.1:7400', '--expect-workers=1'])).toBe(
      '--procs 0 local plus --expect-workers 1 remote make 1 instances; a run needs 2 to 256',
    );
    expect(error(['--listen=nohost', '--expect-workers=2'])).toMatch(/^--listen must be HOST:PORT/);
    expect(error(['--listen=127.0.0.1:70000', '--expect-workers=2'])).toMatch(/the port is above 65535/);
    expect(error(['--listen=127.0.0.1:7400', '--expect-workers=2', '--tls-cert=c.pem'])).toBe(
      '--tls-cert and --tls-key go together (a certificate and its key); give both or neither',
    );
    expect(error(['--listen=127.0.0.1:7400', '--expect-workers=2', '--mode=threads'])).toMatch(
      /--mode=threads runs instances as threads of this one; drop one of them$/,
    );
    expect(error(['--listen=127.0.0.1:7400', '--expect-workers=2', '--find-max'])).toMatch(
      /^--find-max does not apply with --listen/,
    );
  });

  it('refuses a loopback private Redis that remote workers on other hosts could not reach', () => {
    expect(error(['--listen=0.0.0.0:7400', '--expect-workers=2'])).toBe(
      'remote workers cannot reach the private redis-server on 127.0.0.1: give --redis-bind ADDRESS (an address of this host they reach) or --redis URL (a Redis they reach)',
    );
    expect(run(['--listen=0.0.0.0:7400', '--expect-workers=2', '--redis-bind=10.0.0.5']).redisBind).toBe('10.0.0.5');
    expect(run(['--listen=0.0.0.0:7400', '--expect-workers=2'], { REDIS_URL: 'redis://10.0.0.9:6379' }).procs).toBe(2);
    expect(error(['--redis-bind=0.0.0.0'])).toMatch(/a wildcard is no address a worker can connect to/);
    expect(error(['--redis-bind=10.0.0.5', '--redis=redis://h:6379'])).toMatch(/^--redis-bind sets where the private/);
  });

  it('refuses a signal fault that may hit a remote worker, and takes it aimed at a local one', () => {
    const base = ['--listen=127.0.0.1:7400', '--expect-workers=2', '--fault=stop-worker@1s:500ms'];
    expect(error(base)).toMatch(/where no signal of the coordinator reaches; drop it$/);
    expect(error(['--procs=2', ...base])).toMatch(/drop it, or aim it at a local worker with --fault-target 0\.\.1$/);
    expect(error(['--procs=2', ...base, '--fault-target=3'])).toMatch(/aim it at a local worker/);
    expect(run(['--procs=2', ...base, '--fault-target=1']).faultTarget).toBe(1);
    // kill-worker needs no signal: a remote worker kills itself.
    expect(run(['--listen=127.0.0.1:7400', '--expect-workers=2', '--fault=kill-worker@1s']).faults).toHaveLength(1);
  });
});
