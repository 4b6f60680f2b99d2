import { describe, expect, it } from 'vitest';
import { redactRedisUrl } from '../src/redact.js';
import { describeRedisUrl, parseRedisUrl, redisUrlSecrets, topologyOfUrl } from '../src/redis-url.js';

describe('parseRedisUrl', () => {
  it('reads one server as before, with its credentials decoded', () => {
    expect(parseRedisUrl('rediss://app:p%40ss@cache:6380/2')).toEqual({
      topology: 'standalone',
      url: 'rediss://app:p%40ss@cache:6380/2',
      tls: true,
      username: 'app',
      password: 'p@ss',
    });
  });

  it('reads a Sentinel group: sentinels (default port 26379), master name, database', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@10.0.0.1,10.0.0.2:5000,[::1]:26380/mymaster/3')).toEqual({
      topology: 'sentinel',
      tls: false,
      password: 'pw',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 5000 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'mymaster',
      db: 3,
    });
  });

  it("reads a Cluster's seed nodes (default port 6379), a lone userinfo as the password", () => {
    expect(parseRedisUrl('rediss+cluster://secret@a:7000,b/')).toEqual({
      topology: 'cluster',
      tls: true,
      password: 'secret',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 6379 },
      ],
    });
  });

  it.each([
    ['http://host', 'must be one of'],
    ['redis+sentinel://:hunter2@h1:26379', 'master name'],
    ['redis+sentinel://:hunter2@/m', 'names no sentinel'],
    ['redis+cluster://:hunter2@h:70000', 'not 1-65535'],
    ['redis+cluster://:hunter2@h:1,,h:2', 'needs a host'],
    ['redis+cluster://:hunter2@h:1/0', 'takes no path'],
    ['redis+sentinel://:hunter2@h/m/x', 'must be a number'],
    ['redis+sentinel://:hunter2@[::1/m', 'no "]"'],
    ['redis+sentinel://:hunter%2@h/m', 'stray "%"'],
  ])('refuses %s in one line without the password', (url, reason) => {
    let message = '';
    try {
      parseRedisUrl(url);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(reason);
    expect(message).not.toContain('hunter');
    expect(message).not.toContain('\n');
  });
});

describe('describing and scrubbing', () => {
  it('describes each topology without credentials', () => {
    expect(describeRedisUrl(parseRedisUrl('redis://:pw@h:1/0'))).toBe('redis://h:1');
    expect(describeRedisUrl(parseRedisUrl('rediss+sentinel://u:pw@h1,[::1]:2/m'))).toBe(
      'rediss+sentinel://h1:26379,[::1]:2/m',
    );
    expect(describeRedisUrl(parseRedisUrl('redis+cluster://:pw@h1:1,h2:2'))).toBe('redis+cluster://h1:1,h2:2');
  });

  it('gives the password in every spelling, and redactRedisUrl hides it in the multi-host forms', () => {
    const url = 'redis+sentinel://u:a%2Fb@h1:1,h2:2/m';
    expect(redisUrlSecrets(url)).toEqual(['a%2Fb', 'a/b']);
    expect(redactRedisUrl(url)).toBe('redis+sentinel://u:***@h1:1,h2:2/m');
    expect(redisUrlSecrets('redis+cluster://h:1')).toEqual([]);
  });

  it('names the topology by scheme', () => {
    expect(topologyOfUrl('REDIS+CLUSTER://h')).toBe('cluster');
    expect(topologyOfUrl('rediss+sentinel://h/m')).toBe('sentinel');
    expect(topologyOfUrl('redis://h')).toBe('standalone');
    expect(topologyOfUrl('nats://h')).toBeUndefined();
  });
});
