// --stats-timeout and --redis-ca / REDIS_CA_FILE: defaults, bounds, and the TLS option refused where it cannot apply.
import { describe, expect, it } from 'vitest';
import { HARNESS_DEFAULTS } from '../src/config/defaults.js';
import { maskArgvSecrets } from '../src/cli/mask-argv.js';
import { urlSecrets } from '../src/run/redis-target.js';
import { SecretRegistry } from '../src/log/secret-registry.js';
import { parseError as error, parsedOptions as run } from './support/parse-cli.js';

describe('--stats-timeout', () => {
  it('defaults to 5 s and takes a duration of at least 2 s', () => {
    expect(run([]).statsTimeoutMs).toBe(HARNESS_DEFAULTS.statsTimeoutMs);
    expect(HARNESS_DEFAULTS.statsTimeoutMs).toBe(5000);
    expect(run(['--stats-timeout=2s']).statsTimeoutMs).toBe(2000);
    expect(run(['--stats-timeout', '1.5m']).statsTimeoutMs).toBe(90_000);
    expect(error(['--stats-timeout=1s'])).toBe(
      '--stats-timeout must be a duration from 2s to 24h (a number with ms, s, m or h), such as 5s (got "1s")',
    );
    expect(error(['--stats-timeout=5'])).toMatch(/^--stats-timeout must be a duration/);
  });
});

describe('--redis-ca and REDIS_CA_FILE', () => {
  const tlsUrl = 'rediss://:pw@redis.example:6380';

  it('are taken with a rediss:// URL, the option over the environment', () => {
    expect(run([`--redis=${tlsUrl}`, '--redis-ca=/etc/ca.pem']).redisCaFile).toBe('/etc/ca.pem');
    expect(run([], { REDIS_URL: tlsUrl, REDIS_CA_FILE: '/env/ca.pem' }).redisCaFile).toBe('/env/ca.pem');
    expect(run(['--redis-ca=/opt/ca.pem'], { REDIS_URL: tlsUrl, REDIS_CA_FILE: '/env/ca.pem' }).redisCaFile).toBe(
      '/opt/ca.pem',
    );
    expect(run([`--redis=${tlsUrl}`]).redisCaFile).toBeUndefined();
  });

  it('--redis-ca is refused without a rediss:// URL; an ambient REDIS_CA_FILE is then ignored', () => {
    expect(error(['--redis-ca=/etc/ca.pem'])).toBe(
      '--redis-ca applies only to a rediss:// Redis (TLS): give a rediss:// URL in --redis or REDIS_URL, or drop --redis-ca',
    );
    expect(error(['--redis=redis://127.0.0.1:6379', '--redis-ca=/etc/ca.pem'])).toMatch(
      /^--redis-ca applies only to a rediss:\/\//,
    );
    expect(run(['--redis=redis://127.0.0.1:6379'], { REDIS_CA_FILE: '/env/ca.pem' }).redisCaFile).toBeUndefined();
  });
});

describe('secrets of a Redis URL', () => {
  it('are the password as written and decoded, longest first; none without a password', () => {
    expect(urlSecrets('redis://:hunter2@h:1')).toEqual(['hunter2']);
    expect(urlSecrets('redis://u:p%40ss%2Fw@h:1')).toEqual(['p%40ss%2Fw', 'p@ss/w']);
    expect(urlSecrets('redis://h:1')).toEqual([]);
    expect(urlSecrets('not a url')).toEqual([]);
    expect(urlSecrets('redis+sentinel://:p%40ss@h:1,h:2/main')).toEqual(['p%40ss', 'p@ss']);
  });

  it('are masked in every text and in the process title', () => {
    const secrets = new SecretRegistry();
    secrets.add(urlSecrets('redis://u:p%40ss%2Fw@h:1'));
    expect(secrets.scrub('url redis://u:p%40ss%2Fw@h:1 and p@ss/w')).toBe('url redis://u:***@h:1 and ***');
    const title = process.title;
    try {
      expect(
        maskArgvSecrets((text) => secrets.scrub(text), ['node', 'main.js', '--redis=redis://u:p%40ss%2Fw@h:1']),
      ).toBe(true);
      expect(process.title).toBe('node main.js --redis=redis://u:***@h:1');
      expect(maskArgvSecrets((text) => secrets.scrub(text), ['node', 'main.js'])).toBe(false);
    } finally {
      process.title = title;
    }
  });
});
