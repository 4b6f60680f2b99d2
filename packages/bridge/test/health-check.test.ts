// ConnectionHealthCheck on a fake connection and fake timers: when a late PONG means a dead connection, and when not.

import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionHealthCheck, type UnresponsivePhase } from '../src/health-check.js';

class FakeConnection {
  status = 'ready';
  stream: object = {};
  pings = 0;
  #pending: (() => void)[] = [];

  ping(): Promise<string> {
    this.pings++;
    return new Promise((resolve) => this.#pending.push(() => resolve('PONG')));
  }

  pong(): void {
    for (const answer of this.#pending.splice(0)) answer();
  }
}

const INTERVAL_MS = 100;
const TIMEOUT_MS = 300;

function setup(): {
  connection: FakeConnection;
  verdicts: [UnresponsivePhase, number][];
  activity: { count: number };
  check: ConnectionHealthCheck;
} {
  const connection = new FakeConnection();
  const verdicts: [UnresponsivePhase, number][] = [];
  const activity = { count: 0 };
  const check = new ConnectionHealthCheck(connection as unknown as Redis, {
    intervalMs: INTERVAL_MS,
    timeoutMs: TIMEOUT_MS,
    activity: () => activity.count,
    onUnresponsive: (phase, waitedMs) => verdicts.push([phase, waitedMs]),
    now: () => Date.now(),
  });
  return { connection, verdicts, activity, check };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ConnectionHealthCheck', () => {
  it('declares a connection dead when its PING goes unanswered for timeoutMs with nothing else arriving', async () => {
    const { connection, verdicts, check } = setup();
    check.start();
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(connection.pings).toBe(1);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(verdicts).toEqual([]);
    // The verdict waits for one turn of the event loop (a fake immediate: 1 ms here).
    await vi.advanceTimersByTimeAsync(2);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]![0]).toBe('ping');
    expect(verdicts[0]![1]).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(verdicts[0]![1]).toBeLessThanOrEqual(TIMEOUT_MS + 1);
    expect(connection.pings).toBe(1);
    check.stop();
  });

  it('keeps a connection that answers, PINGing one at a time', async () => {
    const { connection, verdicts, check } = setup();
    check.start();
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(INTERVAL_MS);
      connection.pong();
    }
    expect(verdicts).toEqual([]);
    expect(connection.pings).toBe(20);
    check.stop();
  });

  it('a connection that delivers other traffic is busy, not dead: the wait starts over', async () => {
    const { verdicts, activity, check } = setup();
    check.start();
    await vi.advanceTimersByTimeAsync(INTERVAL_MS + TIMEOUT_MS / 2);
    activity.count++;
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS / 2);
    expect(verdicts).toEqual([]);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS + 2);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]![1]).toBeGreaterThanOrEqual(2 * TIMEOUT_MS);
    check.stop();
  });

  it('declares a reconnect handshake that hangs (TCP up, AUTH unanswered) dead', async () => {
    const { connection, verdicts, check } = setup();
    connection.status = 'connect';
    check.start();
    await vi.advanceTimersByTimeAsync(INTERVAL_MS + TIMEOUT_MS);
    expect(verdicts).toEqual([['handshake', TIMEOUT_MS]]);
    expect(connection.pings).toBe(0);
    check.stop();
  });

  it('after this process was stalled, reads before it probes, and reports the stall', async () => {
    const { connection, check } = setup();
    check.start();
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    connection.pong();
    expect(check.stalledRecently).toBe(false);
    // A stall: the clock jumps, no timer ran meanwhile.
    vi.setSystemTime(Date.now() + 10 * INTERVAL_MS);
    expect(check.stalledRecently).toBe(true);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(connection.pings).toBe(1);
    expect(check.stalledRecently).toBe(true);
    await vi.advanceTimersByTimeAsync(3 * INTERVAL_MS);
    expect(connection.pings).toBe(2);
    expect(check.stalledRecently).toBe(false);
    check.stop();
  });

  it('stop() ends it: no PING, no verdict', async () => {
    const { connection, verdicts, check } = setup();
    check.start();
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    check.stop();
    await vi.advanceTimersByTimeAsync(10 * TIMEOUT_MS);
    expect(verdicts).toEqual([]);
    expect(connection.pings).toBe(1);
  });
});
