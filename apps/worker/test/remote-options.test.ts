// evbridge-worker's command line: what it takes, and each mistake refused in one line naming the fix (never a token).
import { describe, expect, it } from 'vitest';
import { parseRemoteArgs } from '../src/remote/remote-options.js';

const problem = (argv: string[]): string => {
  const parsed = parseRemoteArgs(argv);
  if ('help' in parsed || parsed.ok) throw new Error(`expected a problem, got ${JSON.stringify(parsed)}`);
  expect(parsed.message).not.toContain('\n');
  return parsed.message;
};

describe('evbridge-worker options', () => {
  it('takes the coordinator, the token file, the CA, the connect timeout and the log level', () => {
    expect(
      parseRemoteArgs([
        '--coordinator',
        'wss://10.0.0.5:7400',
        '--token-file',
        '/run/token',
        '--ca',
        'ca.pem',
        '--connect-timeout',
        '2m',
        '--log-level=debug',
      ]),
    ).toEqual({
      ok: true,
      options: {
        coordinatorUrl: 'wss://10.0.0.5:7400',
        tokenFile: '/run/token',
        caFile: 'ca.pem',
        connectTimeoutMs: 120_000,
        logLevel: 'debug',
      },
    });
    expect(parseRemoteArgs(['--coordinator=ws://h:1'])).toMatchObject({
      ok: true,
      options: { connectTimeoutMs: 60_000, logLevel: 'info', tokenFile: undefined, caFile: undefined },
    });
    expect(parseRemoteArgs(['--help'])).toEqual({ help: true });
  });

  it('refuses mistakes, naming the fix', () => {
    expect(problem([])).toMatch(/--coordinator ws:\/\/HOST:PORT/);
    expect(problem(['--coordinator', 'http://h:1'])).toMatch(/must be a ws:\/\/ or wss:\/\/ URL/);
    expect(problem(['--coordinator', 'ws://h:1', '--token', 'secret'])).toMatch(/never an argument.*--token-file/);
    expect(problem(['--coordinator', 'ws://h:1', '--token=secret'])).not.toContain('secret');
    expect(problem(['--coordinator', 'ws://h:1', '--ca', 'ca.pem'])).toMatch(/--ca applies only to a wss:\/\//);
    expect(problem(['--coordinator', 'ws://h:1', '--connect-timeout', '30'])).toMatch(/such as 500ms, 30s or 5m/);
    expect(problem(['--coordinator', 'ws://h:1', '--log-level', 'loud'])).toMatch(/--log-level must be one of/);
    expect(problem(['--coordinator', 'ws://h:1', '--what'])).toMatch(/see evbridge-worker --help$/);
  });
});
