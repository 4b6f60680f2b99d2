// CPU used by processes outside one process tree (Linux /proc): the load a benchmark must not share the machine
// with. The load average cannot tell it, since it counts the benchmark's own processes too.
import { readdirSync, readFileSync } from 'node:fs';

/** Cumulative CPU ticks (USER_HZ) at one moment: the whole machine's busy time, and the tree's own. */
export interface CpuSnapshot {
  atMs: number;
  busyTicks: number;
  ownTicks: number;
}

/** The kernel's USER_HZ: /proc/stat and /proc/<pid>/stat count in it (100 on Linux). */
const TICKS_PER_SEC = 100;

/**
 * A snapshot of the machine's busy CPU time and that of `rootPid` and every descendant, reaped ones included (their
 * time lands in a live ancestor's cutime/cstime), or undefined where /proc cannot be read (not Linux).
 */
export function cpuSnapshot(rootPid: number = process.pid, now: () => number = Date.now): CpuSnapshot | undefined {
  try {
    const busyTicks = machineBusyTicks(readFileSync('/proc/stat', 'utf8'));
    return { atMs: now(), busyTicks, ownTicks: treeTicks(rootPid) };
  } catch {
    return undefined;
  }
}

/** Cores' worth of CPU the rest of the machine used between two snapshots (0 when it used none). */
export function foreignCores(from: CpuSnapshot, to: CpuSnapshot): number {
  const seconds = (to.atMs - from.atMs) / 1000;
  if (seconds <= 0) return 0;
  const foreignTicks = to.busyTicks - from.busyTicks - (to.ownTicks - from.ownTicks);
  return Math.max(0, foreignTicks / TICKS_PER_SEC / seconds);
}

/** Busy ticks from /proc/stat's first line: user nice system idle iowait irq softirq steal ... (idle and iowait excluded). */
export function machineBusyTicks(procStat: string): number {
  const fields = procStat.slice(0, procStat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

/** What /proc/<pid>/stat says of one process. */
export interface ProcStat {
  pid: number;
  /** Its name (comm), which may hold spaces and parentheses. */
  name: string;
  /** R, S, D, Z, T, ... */
  state: string;
  ppid: number;
  /** utime + stime + cutime + cstime, clock ticks: its own CPU and its waited-for children's. */
  ticks: number;
  /** When it started, clock ticks after boot: with the pid, it names one process even after the pid is reused. */
  startTicks: number;
}

/** One process's /proc/<pid>/stat; undefined once it is gone (or without /proc). */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The name may hold spaces and parentheses: the fields resume after the last ')'. Field n is fields[n - 3].
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  const at = (field: number): number => Number(fields[field - 3]);
  return {
    pid,
    name: text.slice(text.indexOf('(') + 1, close),
    state: fields[0] ?? '',
    ppid: at(4),
    ticks: at(14) + at(15) + at(16) + at(17),
    startTicks: at(22),
  };
}

function treeTicks(rootPid: number): number {
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat !== undefined) stats.set(Number(name), stat);
  }
  let total = 0;
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!tree.has(pid) && tree.has(stat.ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  for (const pid of tree) total += stats.get(pid)?.ticks ?? 0;
  return total;
}
