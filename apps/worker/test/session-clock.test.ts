// A worker session on a clock 50 s ahead of the coordinator's, through a loopback driver (each publish comes back as
// a peer's event): with its row of the clock table, everything it sends is on the coordinator's clock but the pong.
import { LatencyRecorder } from '@evbridge/metrics';
import type { Driver, DriverSink } from '@evbridge/driver';
import { monotonicNowUs, type SentWorkerMessage } from '@evbridge/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HarnessClock } from '../src/harness-clock.js';
import { WorkerSession } from '../src/session.js';
import { waitFor } from '../src/wait-for.js';

const AHEAD_US = 50_000_000;

/** A driver that hands every published event back to the session as if a peer ("peer") had sent it. */
function loopbackDriver(published: Array<{ i: number; s: number; atUs: number }>) {
  let sink!: DriverSink;
  const driver = {
    instanceId: 'self',
    host: 'test',
    nextSeq: 0,
    connect: async () => undefined,
    publish: async (type: string, data: unknown) => {
      const seq = driver.nextSeq++;
      const { i, s } = data as { i?: number; s?: number };
      // Measured events only (the probe goes round too).
      if (i !== undefined && s !== undefined) published.push({ i, s, atUs: monotonicNowUs() });
      setImmediate(() => sink.onEvent(type, data, 'peer', seq));
      return 1;
    },
    counters: () => ({ published: driver.nextSeq, publishFailed: 0 }),
    close: async () => undefined,
  };
  return {
    create: async (_config: unknown, given: DriverSink) => {
      sink = given;
      return driver as unknown as Driver;
    },
  };
}

async function runSession(table: boolean) {
  const sent: SentWorkerMessage[] = [];
  const published: Array<{ i: number; s: number; atUs: number }> = [];
  const clock = new HarnessClock(() => monotonicNowUs() + AHEAD_US);
  const session = new WorkerSession(
    async (message) => void sent.push(message),
    pino({ level: 'silent' }),
    loopbackDriver(published).create,
    clock,
  );
  try {
    await session.handle({ type: 'ping', seq: 0 });
    if (table) await session.handle({ type: 'clock', index: 0, offsets: [{ offsetUs: AHEAD_US, uncertaintyUs: 40 }] });
    await session.handle({
      ...CONFIGURE,
      rateEventsPerSec: 200,
      statsIntervalMs: 100,
    });
    await session.handle({ type: 'probe', instanceIds: ['self'], intervalMs: 1000 });
    // The coordinator's times, on its own clock.
    const t0Us = monotonicNowUs() + 20_000;
    const window = { measureStartUs: t0Us, measureEndUs: t0Us + 300_000 };
    await session.handle({ type: 'start', t0Us, ...window });
    await waitFor(() => monotonicNowUs() > window.measureEndUs + 50_000, { timeoutMs: 5000 });
    await session.handle({ type: 'stop' });
    await session.handle({ type: 'drain', expectLastSeq: {}, timeoutMs: 0 });
    return { sent, published, window };
  } finally {
    await session.close();
  }
}

/** Worker 0's configure, for the loopback driver (no Redis). */
const CONFIGURE = {
  type: 'configure',
  index: 0,
  redisUrl: 'redis://unused',
  namespace: 'n',
  driver: 'loopback',
  pacer: 'open-loop',
  rateEventsPerSec: 1,
  payloadBytes: 0,
  statsIntervalMs: 1000,
} as const;

describe('a worker session whose clock is 50 s ahead', () => {
  it('with its row of the clock table: sends, receives, stats and latency on the coordinator clock; the pong raw', async () => {
    const { sent, published, window } = await runSession(true);
    const pong = sent.find((message) => message.type === 'pong');
    // The pong carries the worker's own clock: the offset is estimated from it.
    expect(pong?.type === 'pong' && pong.workerUs - monotonicNowUs()).toBeGreaterThan(AHEAD_US - 10_000_000);
    // Due on the coordinator's schedule, sent at the coordinator's time. The bounds are loose (a loaded host stalls
    // for a while): what they tell apart is the 50 s the clocks differ by.
    expect(published.length).toBeGreaterThanOrEqual(30);
    for (const event of published) {
      expect(event.i).toBeGreaterThanOrEqual(window.measureStartUs);
      expect(event.s).toBeGreaterThanOrEqual(event.i);
      expect(Math.abs(event.s - event.atUs)).toBeLessThan(1_000_000);
    }
    const stats = sent.filter((message) => message.type === 'stats');
    expect(stats.length).toBeGreaterThanOrEqual(1);
    for (const message of stats) {
      // A boundary's timer may fire a fraction of a millisecond early (libuv's millisecond loop time).
      expect(message.type === 'stats' && message.atUs).toBeGreaterThanOrEqual(window.measureStartUs - 1_000_000);
      expect(message.type === 'stats' && message.atUs).toBeLessThan(window.measureEndUs + 1_000_000);
    }
    const final = sent.find((message) => message.type === 'final');
    if (final?.type !== 'final') throw new Error('no final');
    expect(final.window.delivered).toBe(published.length);
    const latency = LatencyRecorder.decode(final.histograms.latencyUs);
    expect(latency.count).toBe(published.length);
    expect(latency.summary().max).toBeLessThan(5_000_000);
  }, 20_000);

  it('without it, its own clock runs 50 s ahead: every event it hears took "50 s"', async () => {
    const { sent } = await runSession(false);
    const final = sent.find((message) => message.type === 'final');
    if (final?.type !== 'final') throw new Error('no final');
    const latency = LatencyRecorder.decode(final.histograms.latencyUs);
    expect(latency.count).toBeGreaterThan(0);
    expect(latency.summary().p50).toBeGreaterThan(AHEAD_US - 1_000_000);
  }, 20_000);
});

describe('the clock table and the worker index', () => {
  it('refuses a configure for another worker than the clock table was for, and a table for another worker', async () => {
    const session = new WorkerSession(async () => undefined, pino({ level: 'silent' }), loopbackDriver([]).create);
    const offsets = [
      { offsetUs: 0, uncertaintyUs: 0 },
      { offsetUs: 7, uncertaintyUs: 3 },
    ];
    await session.handle({ type: 'clock', index: 1, offsets });
    expect(session.clock.offsetUs).toBe(7);
    await expect(session.handle({ type: 'clock', index: 0, offsets })).rejects.toThrow(
      'a clock table for worker 0 reached worker 1',
    );
    await expect(session.handle(CONFIGURE)).rejects.toThrow('configured as worker 0 after a clock table for worker 1');
    await session.close();
  });
});
