// The fault scheduler's timing on a fake clock: on time, never early, cancelled on stop, failures recorded.
import { describe, expect, it } from 'vitest';
import { FaultScheduler, type SchedulerClock } from '../src/faults/fault-scheduler.js';

interface Timer {
  id: number;
  fireAtUs: number;
  callback: () => void;
}

/**
 * A clock that only moves when told. Timers fire after `delay * pace` (pace < 1: early, as a real timer may be
 * against the microsecond clock), but never before the next microsecond.
 */
class FakeClock implements SchedulerClock {
  now = 0;
  timers: Timer[] = [];
  #nextId = 1;
  constructor(private readonly pace = 1) {}

  nowUs = (): number => this.now;

  setTimer = (callback: () => void, delayMs: number): unknown => {
    const timer = {
      id: this.#nextId++,
      fireAtUs: this.now + Math.max(1, Math.round(delayMs * 1000 * this.pace)),
      callback,
    };
    this.timers.push(timer);
    return timer.id;
  };

  clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  };

  /** Moves to `us`, firing every timer due on the way in time order. */
  advanceTo(us: number): void {
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.fireAtUs - b.fireAtUs)[0];
      if (!next || next.fireAtUs > us) break;
      this.clearTimer(next.id);
      this.now = Math.max(this.now, next.fireAtUs);
      next.callback();
    }
    this.now = us;
  }
}

const START_US = 10_000_000;

function recorder(clock: FakeClock) {
  const injected: Array<{ name: string; atUs: number }> = [];
  const inject = async (fault: { name: string }) => {
    injected.push({ name: fault.name, atUs: clock.nowUs() });
  };
  return { injected, inject };
}

describe('FaultScheduler', () => {
  it('injects each fault at measurement start + atMs, not before, in time order', async () => {
    const clock = new FakeClock();
    const { injected, inject } = recorder(clock);
    const faults = [
      { name: 'late', atMs: 2500 },
      { name: 'early', atMs: 1000 },
      { name: 'same-time', atMs: 1000 },
    ];
    const scheduler = new FaultScheduler(faults, inject, clock);
    clock.now = START_US - 250_000;
    scheduler.start(START_US);
    clock.advanceTo(START_US + 999_999);
    expect(injected).toEqual([]);
    expect(scheduler.entries.map((entry) => entry.status)).toEqual(['pending', 'pending', 'pending']);
    clock.advanceTo(START_US + 1_000_000);
    expect(injected).toEqual([
      { name: 'early', atUs: START_US + 1_000_000 },
      { name: 'same-time', atUs: START_US + 1_000_000 },
    ]);
    clock.advanceTo(START_US + 3_000_000);
    expect(injected.map((entry) => entry.name)).toEqual(['early', 'same-time', 'late']);
    expect(injected[2]!.atUs).toBe(START_US + 2_500_000);
    await scheduler.stop();
    expect(scheduler.entries.map((entry) => [entry.fault.name, entry.status, entry.injectedAtUs])).toEqual([
      ['late', 'injected', START_US + 2_500_000],
      ['early', 'injected', START_US + 1_000_000],
      ['same-time', 'injected', START_US + 1_000_000],
    ]);
  });

  it('re-arms a timer that fires early instead of injecting early', async () => {
    const clock = new FakeClock(0.95);
    const { injected, inject } = recorder(clock);
    const scheduler = new FaultScheduler([{ name: 'f', atMs: 1000 }], inject, clock);
    clock.now = START_US;
    scheduler.start(START_US);
    clock.advanceTo(START_US + 1_100_000);
    expect(injected).toHaveLength(1);
    // The first timer lands 50 ms early and re-arms; the injection lands within the 1 ms tolerance of its time.
    expect(injected[0]!.atUs).toBeGreaterThanOrEqual(START_US + 999_000);
    expect(injected[0]!.atUs).toBeLessThanOrEqual(START_US + 1_001_000);
    await scheduler.stop();
  });

  it('injects at once a fault already due when it starts (a late start shows in injectedAtUs)', async () => {
    const clock = new FakeClock();
    const { injected, inject } = recorder(clock);
    const scheduler = new FaultScheduler([{ name: 'f', atMs: 0 }], inject, clock);
    clock.now = START_US + 3_000;
    scheduler.start(START_US);
    expect(injected).toEqual([{ name: 'f', atUs: START_US + 3_000 }]);
    expect(clock.timers).toEqual([]);
    await scheduler.stop();
    expect(scheduler.entries[0]!.injectedAtUs).toBe(START_US + 3_000);
  });

  it('on stop cancels what is not due, and waits for an injection in progress', async () => {
    const clock = new FakeClock();
    let finishInjection!: () => void;
    const calls: string[] = [];
    const inject = (fault: { name: string }) => {
      calls.push(fault.name);
      return new Promise<void>((resolve) => (finishInjection = resolve));
    };
    const scheduler = new FaultScheduler(
      [
        { name: 'due', atMs: 100 },
        { name: 'never', atMs: 5000 },
      ],
      inject,
      clock,
    );
    clock.now = START_US;
    scheduler.start(START_US);
    clock.advanceTo(START_US + 200_000);
    expect(calls).toEqual(['due']);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    expect(clock.timers).toEqual([]);
    await Promise.resolve();
    expect(stopped).toBe(false);
    expect(scheduler.entries.map((entry) => entry.status)).toEqual(['injecting', 'not-reached']);
    finishInjection();
    await stopping;
    expect(scheduler.entries.map((entry) => entry.status)).toEqual(['injected', 'not-reached']);
    clock.advanceTo(START_US + 10_000_000);
    expect(calls).toEqual(['due']);
    await scheduler.stop();
  });

  it('records a failed injection, thrown or rejected, and goes on with the others', async () => {
    const clock = new FakeClock();
    const inject = (fault: { name: string }): Promise<void> => {
      if (fault.name === 'throws') throw new Error('IPC channel closed');
      if (fault.name === 'rejects')
        return Promise.reject(new Error('NOPERM this user has no permissions to run the client|pause command'));
      return Promise.resolve();
    };
    const scheduler = new FaultScheduler(
      [
        { name: 'throws', atMs: 10 },
        { name: 'rejects', atMs: 20 },
        { name: 'fine', atMs: 30 },
      ],
      inject,
      clock,
    );
    clock.now = START_US;
    scheduler.start(START_US);
    clock.advanceTo(START_US + 1_000_000);
    await scheduler.stop();
    expect(scheduler.entries.map((entry) => [entry.status, entry.error])).toEqual([
      ['failed', 'IPC channel closed'],
      ['failed', 'NOPERM this user has no permissions to run the client|pause command'],
      ['injected', null],
    ]);
  });

  it('starts once', () => {
    const clock = new FakeClock();
    const scheduler = new FaultScheduler([], async () => undefined, clock);
    scheduler.start(START_US);
    expect(() => scheduler.start(START_US)).toThrow(/already started/);
  });
});
