// Tests for foreign-cpu: the arithmetic on fixed snapshots, then a real child process counted as the tree's own.
import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuSnapshot, foreignCores, machineBusyTicks, readProcStat } from '../src/foreign-cpu.js';

describe('foreignCores', () => {
  it("is the machine's busy time minus the tree's own, per second of wall time, never below 0", () => {
    expect(foreignCores({ atMs: 0, busyTicks: 100, ownTicks: 30 }, { atMs: 2000, busyTicks: 400, ownTicks: 80 })).toBe(
      1.25,
    );
    expect(foreignCores({ atMs: 0, busyTicks: 100, ownTicks: 30 }, { atMs: 1000, busyTicks: 150, ownTicks: 90 })).toBe(
      0,
    );
    expect(foreignCores({ atMs: 5, busyTicks: 1, ownTicks: 1 }, { atMs: 5, busyTicks: 9, ownTicks: 1 })).toBe(0);
  });

  it('counts user, nice, system, irq, softirq and steal as busy; idle and iowait not', () => {
    expect(machineBusyTicks('cpu  10 2 3 100 5 1 1 4 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n')).toBe(21);
  });
});

describe.skipIf(process.platform !== 'linux')('cpuSnapshot on /proc', () => {
  it("counts a child's CPU as the tree's own, also once the child has exited and been reaped", () => {
    const before = cpuSnapshot(process.pid);
    expect(before).toBeDefined();
    // A child that spins for 600 ms, then exits; execFileSync reaps it before returning.
    execFileSync(process.execPath, ['-e', 'const end = Date.now() + 600; while (Date.now() < end);']);
    const after = cpuSnapshot(process.pid)!;
    expect(after.ownTicks - before!.ownTicks).toBeGreaterThanOrEqual(40);
    expect(after.busyTicks - before!.busyTicks).toBeGreaterThanOrEqual(after.ownTicks - before!.ownTicks - 5);
  });
});

describe('readProcStat', () => {
  it('reads this process: its parent, its state, CPU ticks and start time; a name with spaces and parentheses does not shift the fields', async () => {
    // A child whose name (comm) is "a b) (c": the fields after it must still parse. It says "ready" once renamed.
    const child = spawn(process.execPath, [
      '-e',
      "require('fs').writeFileSync('/proc/self/comm', 'a b) (c'); console.log('ready'); setTimeout(() => {}, 5000)",
    ]);
    try {
      await new Promise((resolve, reject) => {
        child.stdout.once('data', resolve);
        child.once('exit', reject);
      });
      const stat = readProcStat(child.pid!);
      expect(stat).toMatchObject({ pid: child.pid, name: 'a b) (c', ppid: process.pid });
      expect(['R', 'S']).toContain(stat!.state);
      expect(stat!.startTicks).toBeGreaterThanOrEqual(readProcStat(process.pid)!.startTicks);
      expect(readProcStat(process.pid)!.ticks).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(readProcStat(2 ** 22 + 1)).toBeUndefined();
  });
});
