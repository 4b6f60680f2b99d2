// Reading the sentinels' +switch-master announcement, and the sentinel options the bridge's connections use.
import { describe, expect, it } from 'vitest';
import { sentinelOptionsOf } from '../src/sentinel-options.js';
import { MasterRoutes, parseSwitch, switchedTo } from '../src/sentinel-watch.js';

describe('switchedTo', () => {
  it("gives the new master of the bridge's master name, and nothing for another name or a short message", () => {
    expect(switchedTo('evbridge 127.0.0.1 6379 127.0.0.1 6380', 'evbridge')).toBe('127.0.0.1:6380');
    expect(switchedTo('evbridge ::1 6379 ::1 6380', 'evbridge')).toBe('[::1]:6380');
    expect(switchedTo('other 127.0.0.1 6379 127.0.0.1 6380', 'evbridge')).toBeUndefined();
    expect(switchedTo('evbridge 127.0.0.1 6379', 'evbridge')).toBeUndefined();
  });
});

describe('MasterRoutes', () => {
  it('sends an address the sentinels replaced to its successor, following a chain, and forgets one that is master again', () => {
    const routes = new MasterRoutes();
    const a = { host: '10.0.0.1', port: 6379 };
    const b = { host: '10.0.0.2', port: 6379 };
    const c = { host: '10.0.0.3', port: 6380 };
    expect(routes.natMap('10.0.0.1:6379')).toBeNull();
    routes.switched(a, b);
    expect(routes.natMap('10.0.0.1:6379')).toEqual(b);
    expect(routes.natMap('10.0.0.2:6379')).toBeNull();
    routes.switched(b, c);
    expect(routes.natMap('10.0.0.1:6379')).toEqual(c);
    routes.switched(c, a);
    expect(routes.natMap('10.0.0.1:6379')).toBeNull();
    expect(routes.natMap('10.0.0.3:6380')).toEqual(a);
  });

  it('reads both addresses of an announcement', () => {
    expect(parseSwitch('evbridge 127.0.0.1 1 127.0.0.1 2', 'evbridge')).toEqual({
      from: { host: '127.0.0.1', port: 1 },
      to: { host: '127.0.0.1', port: 2 },
    });
    expect(parseSwitch('evbridge 127.0.0.1 x 127.0.0.1 2', 'evbridge')).toBeUndefined();
  });
});

describe('sentinelOptionsOf', () => {
  it('builds ioredis sentinel options from a redis+sentinel:// URL: password for master and sentinels, db, TLS', () => {
    expect(sentinelOptionsOf('redis+sentinel://:p%40ss@h1:26379,h2:26380/main/2', {})).toEqual({
      failoverDetector: false,
      sentinels: [
        { host: 'h1', port: 26379 },
        { host: 'h2', port: 26380 },
      ],
      name: 'main',
      db: 2,
      password: 'p@ss',
      sentinelPassword: 'p@ss',
    });
    expect(sentinelOptionsOf('rediss+sentinel://h1/main', {})).toMatchObject({
      tls: {},
      sentinelTLS: {},
      enableTLSForSentinelMode: true,
    });
    // A private CA given for the master (--redis-ca) verifies the sentinels too.
    const ca = { ca: 'PEM' };
    expect(sentinelOptionsOf('rediss+sentinel://h1/main', { tls: ca })).toMatchObject({ tls: ca, sentinelTLS: ca });
    expect(sentinelOptionsOf('redis+sentinel://h1/main', { tls: ca })?.sentinelTLS).toBeUndefined();
  });

  it("takes a user's sentinels object as it is, and nothing for one server", () => {
    const user = { sentinels: [{ host: 'h', port: 1 }], name: 'm', sentinelPassword: 's' };
    expect(sentinelOptionsOf(user, { db: 1 })).toEqual({ ...user, db: 1 });
    expect(sentinelOptionsOf('redis://h:6379', {})).toBeUndefined();
    expect(sentinelOptionsOf({ host: 'h' }, {})).toBeUndefined();
  });
});
