// close(): flushes pending publishes, unsubscribes, quits, leaves no open sockets; idempotent.

import { afterEach, describe, expect, it } from 'vitest';
import { BridgeNotReadyError } from '../src/errors.js';
import type { BridgeState } from '../src/state.js';
import { Fixture, numsub, uniqueNamespace, waitFor } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.close());

function openSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
}

function openTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('close', () => {
  it('flushes 1000 publishes issued without awaiting: all arrive at a peer', async () => {
    const namespace = uniqueNamespace('flush');
    const [sender, receiver] = await fixture.connected(2, { namespace });
    const seqs: number[] = [];
    receiver!.on('n', (_data, meta) => void seqs.push(meta.seq));
    const publishes: Promise<number>[] = [];
    for (let i = 0; i < 1000; i++) publishes.push(sender!.publish('n', i));
    expect(sender!.pendingPublishes).toBe(1000);
    await sender!.close();
    expect(sender!.pendingPublishes).toBe(0);
    expect(sender!.stats()).toMatchObject({ published: 1000, publishFailed: 0 });
    expect(await Promise.all(publishes)).toEqual(Array.from({ length: 1000 }, () => 2));
    await waitFor(() => seqs.length === 1000, '1000 events at the peer');
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('unsubscribes, quits, ends closed, leaves no open sockets, and is idempotent', async () => {
    const raw = await fixture.raw();
    const socketsBefore = openSockets();
    const timersBefore = openTimers();
    const bridge = fixture.bridge({ namespace: uniqueNamespace('close') });
    await bridge.connect();
    expect(openSockets()).toBe(socketsBefore + 2);
    expect(await numsub(raw, bridge.channel)).toBe(1);
    const states: BridgeState[] = [];
    bridge.lifecycle.on('state', (state) => states.push(state));
    const first = bridge.close();
    expect(bridge.close()).toBe(first);
    await first;
    await bridge.close();
    expect(states).toEqual(['closing', 'closed']);
    expect(bridge.state).toBe('closed');
    expect(await numsub(raw, bridge.channel)).toBe(0);
    await waitFor(() => openSockets() === socketsBefore, 'the bridge sockets to be released', 2_000);
    expect(openTimers()).toBeLessThanOrEqual(timersBefore);
    await expect(bridge.publish('x', 1)).rejects.toBeInstanceOf(BridgeNotReadyError);
  });

  it('closes a bridge that never connected', async () => {
    const bridge = fixture.bridge({ namespace: uniqueNamespace('never') });
    await bridge.close();
    expect(bridge.state).toBe('closed');
  });
});
