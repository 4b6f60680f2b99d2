// connect(): ready means subscribed; unreachable and unauthorised Redis fail clearly, without the password.

import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeClosedError, BridgeConnectError, BridgeNotReadyError } from '../src/errors.js';
import type { BridgeState } from '../src/state.js';
import { Fixture, numsub, redisUrl, uniqueNamespace, waitFor } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.close());

/** A loopback port nobody listens on (bound, read, released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('connect', () => {
  it('resolves only once Redis counts the subscription, with state connecting -> ready', async () => {
    const raw = await fixture.raw();
    const bridge = fixture.bridge({ namespace: uniqueNamespace('connect') });
    const states: [BridgeState, BridgeState][] = [];
    bridge.lifecycle.on('state', (state, previous) => states.push([state, previous]));
    expect(await numsub(raw, bridge.channel)).toBe(0);
    const connecting = bridge.connect();
    expect(bridge.connect()).toBe(connecting);
    expect(bridge.state).toBe('connecting');
    await connecting;
    // Asked right at resolution: the SUBSCRIBE was acknowledged, so Redis already counts it.
    expect(await numsub(raw, bridge.channel)).toBe(1);
    expect(bridge.state).toBe('ready');
    expect(states).toEqual([
      ['connecting', 'idle'],
      ['ready', 'connecting'],
    ]);
    await bridge.connect();
  });

  it('fails fast on publish before connect, counting publishFailed', async () => {
    const bridge = fixture.bridge({ namespace: uniqueNamespace('early') });
    const error = await bridge.publish('x', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeNotReadyError);
    expect((error as BridgeNotReadyError).state).toBe('idle');
    expect((error as BridgeNotReadyError).code).toBe('EVBRIDGE_NOT_READY');
    expect(bridge.stats().publishFailed).toBe(1);
    expect(bridge.stats().published).toBe(0);
  });

  it('rejects within connectTimeoutMs when Redis is unreachable, then may be retried', async () => {
    const port = await closedPort();
    const bridge = fixture.bridge({ redis: `redis://:s3cret-unreachable@127.0.0.1:${port}`, connectTimeoutMs: 300 });
    const started = Date.now();
    const error = (await bridge.connect().catch((e: unknown) => e)) as BridgeConnectError;
    const elapsedMs = Date.now() - started;
    expect(error).toBeInstanceOf(BridgeConnectError);
    expect(error.code).toBe('EVBRIDGE_CONNECT_FAILED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('within 300 ms');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toContain('connectTimeoutMs');
    expect(error.cause).toBeInstanceOf(Error);
    expect(inspect(error, { depth: 10 })).not.toContain('s3cret-unreachable');
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(3_000);
    expect(bridge.state).toBe('idle');
    // connect() may be called again (it fails again, the same way).
    await expect(bridge.connect()).rejects.toBeInstanceOf(BridgeConnectError);
  });

  it('rejects a wrong password quickly, without the password anywhere in the error', async () => {
    const url = new URL(redisUrl());
    const realPassword = url.password;
    url.password = 'wr0ng-pa55word-zz';
    const bridge = fixture.bridge({ redis: url.toString(), connectTimeoutMs: 10_000 });
    const started = Date.now();
    const error = (await bridge.connect().catch((e: unknown) => e)) as BridgeConnectError;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(BridgeConnectError);
    expect(error.message).toMatch(/WRONGPASS/);
    expect(error.message).toContain('Check the username and password');
    const everything = `${error.message}\n${error.stack}\n${inspect(error, { depth: 10, showHidden: true })}`;
    expect(everything).not.toContain('wr0ng-pa55word-zz');
    expect(everything).not.toContain(realPassword);
    expect(bridge.state).toBe('idle');
  });

  it('close() during connect rejects connect with BridgeClosedError and ends closed', async () => {
    const port = await closedPort();
    const bridge = fixture.bridge({ redis: `redis://127.0.0.1:${port}`, connectTimeoutMs: 10_000 });
    const connecting = bridge.connect().catch((e: unknown) => e);
    await waitFor(() => bridge.state === 'connecting', 'connecting');
    await bridge.close();
    expect(await connecting).toBeInstanceOf(BridgeClosedError);
    expect(bridge.state).toBe('closed');
    await expect(bridge.connect()).rejects.toBeInstanceOf(BridgeClosedError);
  });

  it('goes reconnecting and back to ready (resubscribed) when Redis drops its connections', async () => {
    const raw = await fixture.raw();
    const namespace = uniqueNamespace('reconnect');
    const connectionName = `evb-reconnect-${namespace.replaceAll('.', '-')}`;
    const bridge = fixture.bridge({ namespace, redisOptions: { connectionName } });
    const [peer] = await fixture.connected(1, { namespace });
    await bridge.connect();
    const states: BridgeState[] = [];
    bridge.lifecycle.on('state', (state) => states.push(state));
    const list = (await raw.call('CLIENT', 'LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${connectionName} `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1]);
    expect(ids).toHaveLength(2);
    for (const id of ids) await raw.call('CLIENT', 'KILL', 'ID', String(id));
    await waitFor(() => states.includes('reconnecting'), 'reconnecting');
    await waitFor(() => bridge.state === 'ready', 'ready again');
    expect(await numsub(raw, bridge.channel)).toBe(2);
    const received: number[] = [];
    bridge.on('ping', (data) => void received.push(data as number));
    await peer!.publish('ping', 1);
    await waitFor(() => received.length === 1, 'event after reconnect');
    expect(await bridge.publish('pong', 2)).toBe(2);
  });
});
