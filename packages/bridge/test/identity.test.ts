// Identity: unique instance ids per bridge even when pid and host collide.

import { describe, expect, it } from 'vitest';
import { createIdentity, createNonce } from '../src/identity.js';
import { EventBridge } from '../src/bridge.js';

describe('createIdentity', () => {
  it('defaults to host:pid:nonce with the real pid', () => {
    const identity = createIdentity();
    expect(identity.pid).toBe(process.pid);
    expect(identity.instanceId).toBe(`${identity.host}:${process.pid}:${identity.nonce}`);
    expect(identity.nonce).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  it('gives distinct ids to identities with the same host and pid (containers where every pid is 1)', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) ids.add(createIdentity({ host: 'container', pid: 1 }).instanceId);
    expect(ids.size).toBe(1000);
  });

  it('keeps a separate random nonce when the instance id is overridden', () => {
    const a = createIdentity({ instanceId: 'svc-1' });
    const b = createIdentity({ instanceId: 'svc-1' });
    expect(a.instanceId).toBe('svc-1');
    expect(a.nonce).not.toBe(b.nonce);
    expect(createNonce()).not.toBe(createNonce());
  });
});

describe('EventBridge identity', () => {
  it('two bridges in one process (same pid) get distinct instance ids', () => {
    const a = new EventBridge({ redis: 'redis://127.0.0.1:1' });
    const b = new EventBridge({ redis: 'redis://127.0.0.1:1' });
    expect(a.identity.pid).toBe(process.pid);
    expect(b.identity.pid).toBe(process.pid);
    expect(a.instanceId).not.toBe(b.instanceId);
    expect(a.identity.nonce).not.toBe(b.identity.nonce);
  });

  it('uses the host option as the host label', () => {
    const bridge = new EventBridge({ redis: 'redis://127.0.0.1:1', host: 'web-7' });
    expect(bridge.host).toBe('web-7');
    expect(bridge.instanceId.startsWith(`web-7:${process.pid}:`)).toBe(true);
  });
});
