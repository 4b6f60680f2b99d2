// Tests for ResourceSampler: arithmetic with injected clocks, then real CPU load and a real event-loop stall.
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyRecorder, ResourceSampler } from '../src/index.js';

const started: ResourceSampler[] = [];
afterEach(() => {
  for (const sampler of started.splice(0)) sampler.stop();
});

function startSampler(options?: ConstructorParameters<typeof ResourceSampler>[0]): ResourceSampler {
  const sampler = new ResourceSampler(options);
  started.push(sampler);
  sampler.start();
  return sampler;
}

function spinMs(durationMs: number): void {
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    // busy: burns CPU and blocks the event loop
  }
}

describe('ResourceSampler with injected clocks', () => {
  it('computes cpuPercent per interval, cumulative CPU since start, and peak RSS', () => {
    let nowNs = 5_000_000_000n;
    let cpu = { user: 1_000_000, system: 500_000 };
    let rss = 100;
    const sampler = startSampler({
      now: () => nowNs,
      cpuUsage: () => cpu,
      memoryUsage: () => ({ rss, heapUsed: 40 }),
    });

    nowNs += 1_000_000_000n; // 1 s of wall time
    cpu = { user: 1_600_000, system: 700_000 }; // 0.8 s of CPU
    rss = 300;
    expect(sampler.sample()).toMatchObject({
      rssBytes: 300,
      heapUsedBytes: 40,
      cpuPercent: 80,
      cpuUserUs: 600_000,
      cpuSystemUs: 200_000,
    });

    nowNs += 500_000_000n; // 0.5 s of wall time
    cpu = { user: 2_350_000, system: 700_000 }; // 0.75 s of CPU on more than one core
    rss = 200;
    expect(sampler.sample()).toMatchObject({
      rssBytes: 200,
      cpuPercent: 150,
      cpuUserUs: 1_350_000,
      cpuSystemUs: 200_000,
    });
    expect(sampler.peak()).toEqual({ rssBytes: 300 });

    // No wall time elapsed: 0 rather than a division by zero.
    expect(sampler.sample().cpuPercent).toBe(0);
  });

  it("computes the window's mean CPU from beginWindow() to endWindow(), beside the per-interval samples", () => {
    let nowNs = 1_000_000_000n;
    let cpu = { user: 100_000, system: 0 };
    const sampler = startSampler({ now: () => nowNs, cpuUsage: () => cpu });
    expect(sampler.endWindow()).toBeUndefined();

    nowNs += 1_000_000_000n;
    cpu = { user: 900_000, system: 0 }; // before the window: 80% of a core
    sampler.beginWindow();
    nowNs += 1_000_000_000n;
    cpu = { user: 1_000_000, system: 100_000 }; // 20% of a core
    expect(sampler.sample().cpuPercent).toBe(50); // the interval spans both: 1 s of CPU in 2 s
    nowNs += 1_000_000_000n;
    cpu = { user: 1_200_000, system: 100_000 }; // 20% of a core
    sampler.sample();
    expect(sampler.endWindow()).toMatchObject({
      cpuPercent: 20,
      cpuUserUs: 300_000,
      cpuSystemUs: 100_000,
      eventLoopDelayUs: { p50: 0, p99: 0, max: 0, ticks: 0 },
    });
    expect(sampler.endWindow()).toBeUndefined();
  });

  it('reports zeros for an interval in which the event-loop timer never ticked', () => {
    const sampler = startSampler();
    expect(sampler.sample().eventLoopDelayUs).toEqual({ p50: 0, p99: 0, max: 0, ticks: 0 });
  });

  it('enforces its life cycle', () => {
    const sampler = new ResourceSampler();
    started.push(sampler);
    expect(sampler.state).toBe('idle');
    expect(() => sampler.sample()).toThrow(/call start\(\) first/);
    expect(() => sampler.beginWindow()).toThrow(/beginWindow\(\) needs a running sampler/);
    sampler.start();
    expect(() => sampler.start()).toThrow(/call stop\(\)/);
    sampler.stop();
    sampler.stop();
    expect(sampler.state).toBe('stopped');
    expect(() => sampler.sample()).toThrow(/state is "stopped"/);
    sampler.start();
    expect(sampler.state).toBe('running');
  });

  it('validates its options', () => {
    expect(() => new ResourceSampler({ eventLoopResolutionMs: 0 })).toThrow(
      /eventLoopResolutionMs must be an integer >= 1/,
    );
    expect(() => new ResourceSampler({ eventLoopResolutionMs: 2.5 })).toThrow(TypeError);
    expect(() => new ResourceSampler({ now: 5 as unknown as () => bigint })).toThrow(/options.now must be a function/);
  });
});

describe('ResourceSampler on this process', () => {
  const resolutionMs = 10;

  /**
   * Resolves after the monitor's timer has ticked at least twice: it is due every `resolutionMs` from start(),
   * so it runs before a timer due 3 periods later (timers run in due order).
   */
  const afterMonitorTicks = (): Promise<void> => delay(3 * resolutionMs);

  it('reports memory', () => {
    const sample = startSampler().sample();
    expect(sample.rssBytes).toBeGreaterThan(0);
    expect(sample.heapUsedBytes).toBeGreaterThan(0);
    expect(sample.heapUsedBytes).toBeLessThan(sample.rssBytes);
  });

  it('shows a ~200 ms busy loop as more than 50% of a core', () => {
    const sampler = startSampler({ eventLoopResolutionMs: resolutionMs });
    spinMs(200);
    const sample = sampler.sample();
    expect(sample.cpuPercent).toBeGreaterThan(50);
    expect(sample.cpuUserUs + sample.cpuSystemUs).toBeGreaterThan(100_000);
    expect(sampler.peak().rssBytes).toBe(sample.rssBytes);
  });

  it('shows a 100 ms synchronous stall as event-loop delay of at least ~90 ms, then starts a fresh interval', async () => {
    const sampler = startSampler({ eventLoopResolutionMs: resolutionMs });
    await afterMonitorTicks();
    spinMs(100);
    // The monitor's timer fell due during the stall, so it runs before this 1 ms timer does.
    await delay(1);
    const stalled = sampler.sample().eventLoopDelayUs;
    expect(stalled.max).toBeGreaterThanOrEqual(90_000);
    expect(stalled.ticks).toBeGreaterThan(0);
    expect(stalled.p50).toBeLessThanOrEqual(stalled.p99);
    expect(stalled.p99).toBeLessThanOrEqual(stalled.max);

    await afterMonitorTicks();
    const calm = sampler.sample().eventLoopDelayUs;
    expect(calm.ticks).toBeGreaterThan(0);
    expect(calm.max).toBeLessThan(90_000);
  });

  it('counts in the window only the stalls after beginWindow(), across the intervals it spans', async () => {
    const sampler = startSampler({ eventLoopResolutionMs: resolutionMs });
    await afterMonitorTicks();
    spinMs(150); // before the window
    await delay(1);
    sampler.beginWindow();
    await afterMonitorTicks();
    spinMs(60);
    await delay(1);
    const interval = sampler.sample().eventLoopDelayUs;
    expect(interval.max).toBeGreaterThanOrEqual(140_000); // the interval saw both stalls
    await afterMonitorTicks();
    sampler.sample();
    const ended = sampler.endWindow()!;
    const window = ended.eventLoopDelayUs;
    // The window's delays travel as a histogram another process can decode and merge.
    expect(LatencyRecorder.decode(ended.eventLoopDelay.encode()).summary().max).toBe(window.max);
    expect(window.max).toBeGreaterThanOrEqual(50_000);
    expect(window.max).toBeLessThan(140_000);
    expect(window.ticks).toBeGreaterThan(0);
  });
});
