// Every process a harness run started, from /proc: its descendants, gathered while it runs, and which of them still run.
// A process is named by pid and start time (a reused pid is another process); a zombie no longer runs (an orphan
// waits for this host's pid 1 to reap it, which here takes up to a second). What a process runs is known by its
// executable and command line, never by its name: Node 24+ names its main thread ("MainThread", "node-MainThread"),
// and that is the name /proc/<pid>/stat shows for the process.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readProcStat, type ProcStat } from '@evbridge/metrics';

export interface ProcessId {
  pid: number;
  /** Start time in clock ticks after boot (/proc/<pid>/stat field 22). */
  startTicks: number;
  /** The kernel's name for it (/proc/<pid>/stat's comm): for messages only, a process may rename itself. */
  name: string;
  /** Its executable (/proc/<pid>/exe); "" where it cannot be read (a zombie, a kernel thread). */
  exe: string;
  /** Its command line (/proc/<pid>/cmdline), as it exec'd it. */
  argv: string[];
  /** Its pid in every PID namespace from this one down ("<host pid> 1" for a namespace's pid 1). */
  nsPids: number[];
}

/** Every live descendant of `root` now (children, their children, ...). */
export function descendantsOf(root: number): ProcessId[] {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined && stat.state !== 'Z');
  const found: ProcessId[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats) {
      if (parents.has(stat.ppid) && !parents.has(stat.pid)) {
        parents.add(stat.pid);
        found.push({ ...identify(stat), nsPids: nsPidsOf(stat.pid) });
        grew = true;
      }
    }
  }
  return found;
}

/** Its state letter (R, S, T for stopped, Z, ...), or undefined once it is gone. */
export function stateOf(process: ProcessId): string | undefined {
  const stat = readProcStat(process.pid);
  return stat?.startTicks === process.startTicks ? stat.state : undefined;
}

/** True while this very process runs (not a zombie, not another process that reuses its pid). */
export function stillRuns(process: ProcessId): boolean {
  const stat = readProcStat(process.pid);
  return stat !== undefined && stat.startTicks === process.startTicks && stat.state !== 'Z';
}

/**
 * True when `proc` is this Node binary running the script `script`: node's command line is
 * `<node> [flags] <script> [args]`, and a launcher that names the script in its own arguments (setpriv, unshare) runs
 * another executable.
 */
export function runsNodeScript(proc: ProcessId, script: string): boolean {
  return proc.exe === process.execPath && proc.argv.includes(script);
}

function identify(stat: ProcStat): Omit<ProcessId, 'nsPids'> {
  const { pid, startTicks, name } = stat;
  let exe = '';
  let argv: string[] = [];
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
  } catch {
    // gone, or a zombie: it runs nothing
  }
  return { pid, startTicks, name, exe, argv };
}

function nsPidsOf(pid: number): number[] {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('NSpid:'));
    return line === undefined ? [] : line.slice('NSpid:'.length).trim().split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

/** Gathers `root`'s descendants every 50 ms until stop(): each process seen at any moment is kept. */
export function watchDescendants(root: number) {
  const seen = new Map<string, ProcessId>();
  const sample = (): void => {
    // The latest sight wins (a child seen between fork and exec carries its parent's executable and command line),
    // unless the process is on its way out: once it has released its memory it shows no executable any more.
    for (const process of descendantsOf(root)) {
      const key = `${process.pid}:${process.startTicks}`;
      if (process.exe !== '' || !seen.has(key)) seen.set(key, process);
    }
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    sample,
    get seen(): ProcessId[] {
      return [...seen.values()];
    },
    stop(): ProcessId[] {
      clearInterval(timer);
      return [...seen.values()];
    },
    /** The first process `find` picks out of those seen so far, sampled every 50 ms; undefined after `timeoutMs`. */
    async until(find: (seen: ProcessId[]) => ProcessId | undefined, timeoutMs: number): Promise<ProcessId | undefined> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        sample();
        const found = find([...seen.values()]);
        if (found !== undefined || Date.now() >= deadline) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** The processes of `processes` still running after up to `timeoutMs` (empty when every one is gone). */
export async function survivorsAfter(processes: readonly ProcessId[], timeoutMs: number): Promise<ProcessId[]> {
  const deadline = Date.now() + timeoutMs;
  let left = processes.filter(stillRuns);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = left.filter(stillRuns);
  }
  return left;
}
