// Least privilege: the bridge runs with an ACL user limited to its namespace and the documented commands, and a
// denied command or channel fails with an error naming the permission to grant (never the password).

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BridgeConnectError, BridgePublishError } from '../src/errors.js';
import { deniedPermission, describeDenied } from '../src/permission.js';
import { Fixture, redisUrl, uniqueNamespace, waitFor } from './helpers.js';

/** The command rules of the README's "Least privilege" line, without the channel rule. */
const BRIDGE_COMMANDS = ['-@all', '+ping', '+info', '+client|setname', '+subscribe', '+unsubscribe', '+publish'];

const fixture = new Fixture();
let admin: Redis;
const users: string[] = [];
/** A password URL syntax must escape: the bridge has to scrub both spellings. */
const password = `p@ss:w/rd#${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  admin = await new Fixture().raw();
});
afterEach(() => fixture.close());
afterAll(async () => {
  for (const user of users) await admin.call('ACL', 'DELUSER', user);
  admin.disconnect();
});

/** Creates an ACL user with `rules` (plus `on` and the password) and returns a URL that logs in as it. */
async function aclUser(rules: string[]): Promise<string> {
  const user = `evb-test-${randomBytes(4).toString('hex')}`;
  users.push(user);
  await admin.call('ACL', 'SETUSER', user, 'reset', 'on', `>${password}`, ...rules);
  const url = new URL(redisUrl());
  url.username = user;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** ACL LOG entries (denials) of one user, as field -> value objects. */
async function aclDenials(user: string): Promise<Record<string, string>[]> {
  const entries = (await admin.call('ACL', 'LOG')) as unknown[][];
  return (
    entries
      .map((entry) => {
        const fields: Record<string, string> = {};
        for (let i = 0; i + 1 < entry.length; i += 2) fields[String(entry[i])] = String(entry[i + 1]);
        return fields;
      })
      .filter((fields) => fields.username === user)
      // ioredis >= 5.4 sends CLIENT SETINFO and ignores a refusal (Redis < 7.2 does not know it at all).
      .filter((fields) => fields.object !== 'client|setinfo')
  );
}

function expectNoPassword(error: unknown): void {
  const text = `${String(error)} ${(error as Error).stack ?? ''} ${String((error as Error).cause)}`;
  expect(text).not.toContain(password);
  expect(text).not.toContain(encodeURIComponent(password));
}

describe('an ACL user limited to the namespace', () => {
  it('with the documented commands: connects, publishes, receives and closes without a single denial', async () => {
    const namespace = uniqueNamespace('acl');
    const url = await aclUser(['resetchannels', `&${namespace}:*`, ...BRIDGE_COMMANDS]);
    const user = new URL(url).username;
    const [a, b] = await fixture.connected(2, { redis: url, namespace });
    const received: unknown[] = [];
    b!.on('ping', (data) => {
      received.push(data);
    });
    expect(await a!.publish('ping', { n: 1 })).toBe(2);
    await waitFor(() => received.length === 1, 'the event at the other bridge');
    await Promise.all([a!.close(), b!.close()]);
    expect(received).toEqual([{ n: 1 }]);
    expect(await aclDenials(user)).toEqual([]);
  });

  it('without +publish: connect() works, publish() rejects naming PUBLISH, the channel and what to grant', async () => {
    const namespace = uniqueNamespace('acl');
    const url = await aclUser([
      'resetchannels',
      `&${namespace}:*`,
      ...BRIDGE_COMMANDS.filter((rule) => rule !== '+publish'),
    ]);
    const bridge = fixture.bridge({ redis: url, namespace });
    await bridge.connect();
    const error = await bridge.publish('x', 1).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BridgePublishError);
    expect((error as Error).message).toContain(
      `the Redis user lacks permission for PUBLISH on channel ${bridge.channel}: grant it +publish and &${namespace}:*`,
    );
    expectNoPassword(error);
    expect(bridge.stats().publishFailed).toBe(1);
    expect(bridge.state).toBe('ready');
  });

  it('whose channel patterns exclude the namespace: connect() rejects naming the channel rule to grant', async () => {
    const namespace = uniqueNamespace('acl');
    const url = await aclUser(['resetchannels', '&someone-else:*', ...BRIDGE_COMMANDS]);
    const bridge = fixture.bridge({ redis: url, namespace, connectTimeoutMs: 5_000 });
    const error = await bridge.connect().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BridgeConnectError);
    expect((error as Error).message).toContain(`the Redis user may not use channel ${bridge.channel}`);
    expect((error as Error).message).toContain(`grant it &${namespace}:*`);
    expectNoPassword(error);
    expect(bridge.state).toBe('idle');
  });

  it('without +subscribe: connect() rejects at once naming SUBSCRIBE', async () => {
    const namespace = uniqueNamespace('acl');
    const url = await aclUser([
      'resetchannels',
      `&${namespace}:*`,
      ...BRIDGE_COMMANDS.filter((rule) => rule !== '+subscribe'),
    ]);
    const bridge = fixture.bridge({ redis: url, namespace, connectTimeoutMs: 5_000 });
    const started = Date.now();
    await expect(bridge.connect()).rejects.toThrow(
      `lacks permission for SUBSCRIBE on channel ${bridge.channel}: grant it +subscribe`,
    );
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe("a least-privileged Redis user with delivery: 'at-least-once'", () => {
  const STREAM_RULES = [
    '-@all',
    '+ping',
    '+info',
    '+client|setname',
    '+xadd',
    '+xread',
    '+xinfo|stream',
    '+multi',
    '+exec',
  ];

  it('with the stream commands on the namespace keys: events flow', async () => {
    const namespace = uniqueNamespace('acl-streams');
    const url = await aclUser([`~${namespace}:*`, ...STREAM_RULES]);
    const [a, b] = await fixture.connected(2, { redis: url, namespace, delivery: 'at-least-once' });
    const seen: unknown[] = [];
    b!.on('e', (data) => void seen.push(data));
    await a!.publish('e', 1);
    await waitFor(() => seen.length === 1, 'b received the event');
  });

  it('whose key patterns exclude the namespace: connect() rejects naming the key rule and the commands', async () => {
    const namespace = uniqueNamespace('acl-streams');
    const url = await aclUser(['~someone-else:*', ...STREAM_RULES]);
    const bridge = fixture.bridge({ redis: url, namespace, delivery: 'at-least-once', connectTimeoutMs: 5_000 });
    const error = await bridge.connect().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BridgeConnectError);
    expect((error as Error).message).toContain("the Redis user may not use the namespace's keys");
    expect((error as Error).message).toContain(`+xadd +xread +xinfo|stream +multi +exec and ~${namespace}:*`);
    expectNoPassword(error);
  });
});

describe('deniedPermission', () => {
  it('reads the NOPERM replies of Redis 7.0 and 7.2', () => {
    expect(deniedPermission(new Error("NOPERM this user has no permissions to run the 'publish' command"))).toEqual({
      kind: 'command',
      command: 'publish',
    });
    expect(
      deniedPermission(new Error("NOPERM User evb has no permissions to run the 'pubsub|numsub' command")),
    ).toEqual({
      kind: 'command',
      command: 'pubsub|numsub',
    });
    expect(
      deniedPermission(
        new Error('NOPERM this user has no permissions to access one of the channels used as arguments'),
      ),
    ).toEqual({ kind: 'channel' });
    expect(deniedPermission(new Error('NOPERM No permissions to access a channel'))).toEqual({ kind: 'channel' });
    expect(
      deniedPermission(new Error('NOPERM this user has no permissions to access one of the keys used as arguments')),
    ).toEqual({ kind: 'key' });
    expect(deniedPermission(new Error('NOPERM No permissions to access a key'))).toEqual({ kind: 'key' });
    expect(deniedPermission(new Error('WRONGPASS invalid username-password pair'))).toBeUndefined();
  });

  it('words the grant with the namespace pattern', () => {
    expect(describeDenied({ kind: 'command', command: 'publish' }, 'PUBLISH', 'shop:events')).toMatch(
      /^the Redis user lacks permission for PUBLISH on channel shop:events: grant it \+publish and &shop:\*/,
    );
    expect(describeDenied({ kind: 'channel' }, 'SUBSCRIBE', 'shop:events')).toContain('grant it &shop:*');
  });
});
