// Integration: two real worker processes, the real IPC channel and a real redis-server, driven phase by phase.
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadDriver } from '@evbridge/drivers';
import { Fleet } from '../src/fleet/fleet.js';
import { ProcessWorker } from '../src/fleet/process-worker.js';
import { measureClockOffsets } from '../src/run/clock-offset.js';
import type { RunContext } from '../src/run/context.js';
import { finish } from '../src/run/finish.js';
import { configureWorkers, greet } from '../src/run/handshake.js';
import { measure, planTimes } from '../src/run/measure.js';
import { probeRound } from '../src/run/probe.js';
import { Progress } from '../src/run/progress.js';
import { accountDeliveries } from '../src/report/delivery.js';
import { isAlive } from './support/harness-cli.js';
import type { HarnessOptions } from '../src/config/harness-options.js';
import { Writable } from 'node:stream';

const logger = pino({ level: 'silent' });
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.terminateAll();
  fleet = undefined;
});

async function contextFor(workers: ProcessWorker[], overrides: Partial<HarnessOptions> = {}): Promise<RunContext> {
  fleet = new Fleet(workers);
  const options: HarnessOptions = {
    procs: workers.length,
    rateEventsPerSec: 400,
    durationMs: 1500,
    warmupMs: 300,
    payloadBytes: 64,
    redisUrl: undefined,
    redisUrlSource: undefined,
    jsonPath: undefined,
    thresholds: [],
    logLevel: 'silent',
    driver: 'evbridge',
    drainTimeoutMs: 3000,
    readyTimeoutMs: 10_000,
    ...overrides,
  };
  return {
    options,
    logger,
    fleet,
    namespace: `evbridge:test:${Math.random().toString(36).slice(2)}`,
    signal: new AbortController().signal,
    records: workers.map((worker) => ({ index: worker.index, pid: worker.pid })),
    driver: { spec: options.driver, builtin: true, definition: await loadDriver(options.driver) },
  };
}

const quiet = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), {
  isTTY: false,
}) as unknown as NodeJS.WriteStream;

describe('two worker processes over IPC and a real Redis', () => {
  it.each(['evbridge', 'raw'] as const)(
    'exchange every measured event and their counters add up (%s driver)',
    async (driver) => {
      const redisUrl = inject('redisUrl');
      const workers = [0, 1].map((index) => new ProcessWorker({ index, logger, logLevel: 'silent' }));
      const context = await contextFor(workers, { driver });
      await greet(context);
      await measureClockOffsets(context);
      await configureWorkers(context, redisUrl);
      await probeRound(context);
      const times = planTimes(context);
      await measure(context, times, new Progress(context, times, { stream: quiet, logger }));
      expect(await finish(context, { stopMs: 5000, drainMs: 3000 })).toEqual([]);

      const [a, b] = context.records;
      expect(a!.instanceId).not.toBe(b!.instanceId);
      for (const record of context.records) {
        expect(record.pid).not.toBe(process.pid);
        expect(record.final?.drained).toBe(true);
        // One host, one time namespace: the clock is shared (offset exactly 0); what was measured is near 0.
        expect(record.clock).toMatchObject({ kind: 'shared', offsetUs: 0, uncertaintyUs: 0 });
        expect(Math.abs(record.clock!.measuredOffsetUs)).toBeLessThanOrEqual(record.clock!.rttUs / 2 + 2);
      }
      // 200 events/s each for 1.5 s measured.
      const sentByA = a!.stopped!.window.published;
      const sentByB = b!.stopped!.window.published;
      expect(sentByA).toBeGreaterThanOrEqual(290);
      expect(sentByA).toBeLessThanOrEqual(301);
      expect(b!.final!.window.delivered).toBe(sentByA);
      expect(a!.final!.window.delivered).toBe(sentByB);
      expect(a!.final!.window.selfEchoesFiltered).toBe(sentByA);
      expect(b!.final!.window.selfEchoesFiltered).toBe(sentByB);
      expect(a!.final!.window.redisReportedReceivers).toBe(2 * sentByA);
      expect(a!.final!.window.selfReceived + b!.final!.window.selfReceived).toBe(0);
      // The bridge counted warm-up and probe traffic too: at least the measured events.
      expect(a!.final!.bridge.deliveredToHandlers).toBeGreaterThan(sentByB);
      const delivery = accountDeliveries(context.records);
      expect(delivery).toMatchObject({ expected: sentByA + sentByB, delivered: sentByA + sentByB, lost: 0 });

      const exits = await fleet!.shutdown(3000);
      expect(exits.map((exit) => exit.exitCode)).toEqual([0, 0]);
      for (const worker of workers) expect(isAlive(worker.pid)).toBe(false);
    },
    30_000,
  );

  it('names the worker when it reports an error', async () => {
    const workers = [new ProcessWorker({ index: 0, logger, logLevel: 'silent' })];
    const context = await contextFor(workers);
    await context.fleet.workers[0]!.next('hello', 10_000);
    // A configure with a bad URL scheme makes the worker report an error: the coordinator names it.
    await workers[0]!.send({
      type: 'configure',
      index: 0,
      redisUrl: 'http://nope',
      namespace: 'x',
      driver: 'evbridge',
      pacer: 'open-loop',
      rateEventsPerSec: 1,
      payloadBytes: 0,
      statsIntervalMs: 1000,
    });
    await expect(workers[0]!.next('ready', 10_000)).rejects.toThrow(
      `worker 0 (pid ${workers[0]!.pid}) reported an error`,
    );
  }, 30_000);
});
