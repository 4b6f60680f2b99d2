// The conformance kit against real redis-server and real processes: the example driver (written from
// It runs the built kit (dist/, made by tsc -b before vitest): its instance processes run dist/conformance/child.js.
// docs/drivers.md) passes every property, and a driver broken in one way fails that property, naming the evidence.
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { type ConformanceProperty, runConformance } from '../dist/conformance/index.js';

const fixture = (name: string) => new URL(`./fixtures/${name}.js`, import.meta.url).href;
const EXAMPLE = new URL('../examples/example-driver.js', import.meta.url).href;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const verdicts = (result: Awaited<ReturnType<typeof runConformance>>) =>
  Object.fromEntries(result.properties.map((p) => [p.property, p.holds])) as Record<ConformanceProperty, boolean>;

describe('conformance kit', () => {
  it('the example driver passes every property, in three processes with their own pids', async () => {
    const result = await runConformance({ moduleUrl: EXAMPLE, redisUrl: inject('redisUrl') });
    expect(result.properties.filter((p) => !p.holds)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.driver).toBe('example');
    expect(new Set(result.instances.map((i) => i.pid)).size).toBe(3);
    expect(result.instances.every((i) => !isAlive(i.pid))).toBe(true);
    expect(fileURLToPath(EXAMPLE)).toMatch(/example-driver\.js$/);
  });

  it.each([
    ['hears-itself', 'self-filter', /received \d+ of its own events/],
    ['ready-too-soon', 'subscribe-before-ready', /never heard/],
    ['never-resubscribes', 'survives-subscriber-kill', /still not heard/],
    ['leaks-a-timer', 'close-without-leaks', /did not exit within 5 s of close\(\) \(still held: .*Timeout/],
  ] as const)('%s fails %s and only what follows from it', async (name, property, evidence) => {
    const result = await runConformance({ moduleUrl: fixture(name), redisUrl: inject('redisUrl'), timeoutMs: 2500 });
    const failed = result.properties.find((p) => p.property === property);
    expect(failed?.holds, failed?.detail).toBe(false);
    expect(failed?.detail).toMatch(evidence);
    expect(result.passed).toBe(false);
    // Each breakage is one property's: close-without-leaks still holds for the others (no process left behind).
    if (property !== 'close-without-leaks') expect(verdicts(result)['close-without-leaks']).toBe(true);
    expect(result.instances.every((i) => !isAlive(i.pid))).toBe(true);
  });
});
