// Tests for foreign-cpu: the arithmetic on fixed snapshots, then a real child process counted as the tree's own.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cpuSnapshot, foreignCores, machineBusyTicks } from "../src/foreign-cpu.js";

describe("foreignCores", () => {
  it("is the machine's busy time minus the tree's own, per second of wall time, never below 0", () => {
    expect(foreignCores({ atMs: 0, busyTicks: 100, ownTicks: 30 }, { atMs: 2000, busyTicks: 400, ownTicks: 80 })).toBe(1.25);
    expect(foreignCores({ atMs: 0, busyTicks: 100, ownTicks: 30 }, { atMs: 1000, busyTicks: 150, ownTicks: 90 })).toBe(0);
    expect(foreignCores({ atMs: 5, busyTicks: 1, ownTicks: 1 }, { atMs: 5, busyTicks: 9, ownTicks: 1 })).toBe(0);
  });

  it("counts user, nice, system, irq, softirq and steal as busy; idle and iowait not", () => {
    expect(machineBusyTicks("cpu  10 2 3 100 5 1 1 4 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n")).toBe(21);
  });
});

describe.skipIf(process.platform !== "linux")("cpuSnapshot on /proc", () => {
  it("counts a child's CPU as the tree's own, also once the child has exited and been reaped", () => {
    const before = cpuSnapshot(process.pid);
    expect(before).toBeDefined();
    // A child that spins for 600 ms, then exits; execFileSync reaps it before returning.
    execFileSync(process.execPath, ["-e", "const end = Date.now() + 600; while (Date.now() < end);"]);
    const after = cpuSnapshot(process.pid)!;
    expect(after.ownTicks - before!.ownTicks).toBeGreaterThanOrEqual(40);
    expect(after.busyTicks - before!.busyTicks).toBeGreaterThanOrEqual(after.ownTicks - before!.ownTicks - 5);
  });
});
