// The launcher kinds table: which kind --mode and --isolate select, what each can do, and the faults that need OS
// control refused, up front and at injection, for a worker without it.
import { describe, expect, it } from 'vitest';
import { faultPlanProblem } from '../src/faults/fault-options.js';
import { INJECTIONS, type InjectionDeps } from '../src/faults/fault-injection.js';
import { FAULT_KINDS } from '../src/model/fault-kinds.js';
import { parseFault } from '../src/faults/parse-fault.js';
import { LAUNCHER_KINDS, launcherKindOf } from '../src/fleet/launcher-kinds.js';
import type { WorkerHandle } from '../src/fleet/worker-handle.js';

const fault = (text: string) => {
  const parsed = parseFault(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

describe('launcher kinds', () => {
  it('maps --mode and --isolate to one kind', () => {
    expect(launcherKindOf({})).toBe('procs');
    expect(launcherKindOf({ mode: 'procs', isolate: 'none' })).toBe('procs');
    expect(launcherKindOf({ mode: 'procs', isolate: 'pidns' })).toBe('pidns');
    expect(launcherKindOf({ mode: 'threads' })).toBe('threads');
  });

  it('says which kinds can be signalled and which share a pid or a process', () => {
    expect(LAUNCHER_KINDS.procs).toMatchObject({ osControl: true, sharedPid: undefined, sharedProcess: false });
    expect(LAUNCHER_KINDS.pidns.osControl).toBe(true);
    expect(LAUNCHER_KINDS.pidns.sharedPid).toMatch(/pid 1/);
    expect(LAUNCHER_KINDS.threads).toMatchObject({ osControl: false, sharedProcess: true });
    expect(LAUNCHER_KINDS.threads.describe(5)).toBe('5 worker threads of one process');
  });

  it('refuses a fault that signals a worker where the workers cannot be signalled, and only there', () => {
    const signalling = Object.entries(FAULT_KINDS)
      .filter(([, spec]) => spec.signalsWorker === true)
      .map(([kind]) => kind);
    expect(signalling.sort()).toEqual(['slow-consumer', 'stop-worker']);
    const plan = (mode: 'procs' | 'threads', compareModes = false) =>
      faultPlanProblem(
        {
          faults: [fault('stop-worker@1s:500ms')],
          durationMs: 10_000,
          procs: 3,
          redisUrl: undefined,
          mode,
          isolate: undefined,
          compareModes,
        },
        {},
      );
    expect(plan('threads')).toMatch(/worker thread cannot be stopped alone/);
    expect(plan('procs', true)).toMatch(/worker thread cannot be stopped alone/);
    expect(plan('procs')).toBeUndefined();
  });

  it('fails stop-worker at injection, naming the worker, when its handle has no OS control', async () => {
    const worker = { index: 3, pid: 42, os: undefined } as unknown as WorkerHandle;
    const deps = {
      targetWorker: worker,
      signal: new AbortController().signal,
      nowUs: () => 0,
    } as unknown as InjectionDeps;
    await expect(INJECTIONS['stop-worker'](fault('stop-worker@1s:10ms'), deps)).rejects.toThrow(
      /stop-worker signals worker 3's own process, and this worker has none the coordinator can signal/,
    );
  });
});
