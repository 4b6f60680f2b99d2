// pnpm bench --find-max's order and ratios with fake step runners: the floor is searched first with the same search
// as the harness, raw/floor and bridge/raw come from the three answers, and an early stop skips what follows.
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { findMaxPair, type FindMaxFn, type FindMaxPairDeps } from '../src/bench/find-max-pair.js';
import type { FloorRun } from '../src/bench/floor.js';
import type { RunSettings } from '../src/bench/plan.js';
import { FindMaxStopped, type FindMaxResult } from '../src/find-max/find-max.js';
import { DEFAULT_SLO } from '../src/config/slo.js';

const settings: RunSettings = {
  rateEventsPerSec: 1000,
  durationMs: 1000,
  warmupMs: 0,
  payloadBytes: 64,
  pacer: 'open-loop',
  logLevel: 'silent',
};

/** A floor that holds the SLO up to `maxRate` (p99 2 ms) and misses it above (p99 20 ms). */
function fakeFloor(maxRate: number, rates: number[]) {
  return async (procs: number, step: RunSettings): Promise<FloorRun> => {
    rates.push(step.rateEventsPerSec);
    const holds = step.rateEventsPerSec <= maxRate;
    const published = step.rateEventsPerSec * (step.durationMs / 1000);
    return {
      pids: [],
      counts: { published, received: published * (procs - 1), expected: published * (procs - 1) },
      figures: {
        latencyP50Us: 500,
        latencyP99Us: holds ? 2_000 : 20_000,
        latencyP999Us: null,
        latencyMaxUs: null,
        transitP50Us: null,
        transitP99Us: null,
        sendLagP50Us: null,
        sendLagP99Us: null,
        publishedEventsPerSec: step.rateEventsPerSec,
        deliveredEventsPerSec: step.rateEventsPerSec * (procs - 1),
        deliveryRatio: 1,
        cpuUsPerDelivered: null,
        rssPeakMeanMb: null,
        rssPeakMaxMb: null,
        ipcMessagesPerWorkerPerSec: null,
      },
    };
  };
}

const answered = (transport: 'raw' | 'bridge', maxRateEventsPerSec: number): FindMaxResult => ({
  maxRateEventsPerSec,
  steps: [],
  slo: DEFAULT_SLO,
  transport,
  procs: 3,
});

function deps(findMaxRate: FindMaxFn, runFloor: ReturnType<typeof fakeFloor>): FindMaxPairDeps {
  // The harness's own deps are never used here: findMaxRate is a fake.
  const progressStream = new PassThrough() as unknown as NodeJS.WriteStream;
  return {
    findMaxRate,
    findMaxDeps: {
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      progressStream,
      maxSteps: 12,
    },
    redisUrl: 'redis://127.0.0.1:1',
    procs: 3,
    runFloor,
  };
}

describe('findMaxPair', () => {
  it('searches the floor first (ramp, then bisect, on its own steps), then raw and the bridge; raw/floor and bridge/raw from the answers', async () => {
    const order: string[] = [];
    const floorRates: number[] = [];
    const findMaxRate: FindMaxFn = async (base) => {
      const arm = base.driver === 'raw' ? 'raw' : 'bridge';
      order.push(arm);
      return answered(arm, arm === 'raw' ? 9_000 : 4_500);
    };
    const pair = await findMaxPair(settings, deps(findMaxRate, fakeFloor(10_000, floorRates)));
    expect(order).toEqual(['raw', 'bridge']);
    expect(floorRates.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(pair.floor?.transport).toBe('floor');
    expect(pair.floor?.steps.every((step) => step.passed === step.rateEventsPerSec <= 10_000)).toBe(true);
    const floorMax = pair.floor?.maxRateEventsPerSec ?? 0;
    expect(floorMax).toBeGreaterThanOrEqual(9_500);
    expect(floorMax).toBeLessThanOrEqual(10_000);
    expect(pair.rawToFloor).toBeCloseTo(9_000 / floorMax, 6);
    expect(pair.ratio).toBeCloseTo(0.5, 6);
    expect(pair.stopped).toBeNull();
  });

  it('a floor step that cannot run stops the bench search before raw and the bridge, naming it', async () => {
    let harnessSearches = 0;
    const failing = async (): Promise<FloorRun> => {
      throw new Error('floor process 1 exited (code 1)');
    };
    const pair = await findMaxPair(
      settings,
      deps(async (base) => {
        harnessSearches += 1;
        return answered(base.driver === 'raw' ? 'raw' : 'bridge', 1);
      }, failing),
    );
    expect(harnessSearches).toBe(0);
    expect(pair.stopped).toMatch(
      /^floor: find-max stopped: the step at 1000 events\/s could not be run: floor process 1 exited/,
    );
    expect(pair.floor?.steps[0]?.reasons[0]).toMatch(/could not be run/);
    expect(pair.ratio).toBeNull();
  });

  it('a raw search that stops early keeps the floor answer and gives no bridge/raw', async () => {
    const pair = await findMaxPair(
      settings,
      deps(
        async (base) => {
          throw new FindMaxStopped(
            'find-max interrupted by SIGINT after 2 steps',
            'interrupted',
            130,
            answered(base.driver === 'raw' ? 'raw' : 'bridge', 2000),
          );
        },
        fakeFloor(4_000, []),
      ),
    );
    expect(pair.floor?.maxRateEventsPerSec).not.toBeNull();
    expect(pair.bridge).toBeNull();
    expect(pair.ratio).toBeNull();
    expect(pair.stopped).toBe('raw: find-max interrupted by SIGINT after 2 steps');
  });
});
