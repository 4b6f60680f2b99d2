// Workers in their own PID namespace (--isolate=pidns): the launch command, the preflight, the host pid of the node
// process that is pid 1 inside, and the exit status of the launcher read as the worker's.
//
// The chain is coordinator -> setpriv (execs) unshare -> node, node being pid 1 of a new namespace:
// - `setpriv --pdeathsig KILL` makes unshare die with the coordinator (even a SIGKILLed one), and unshare's
//   `--kill-child=SIGKILL` then kills node: no worker outlives the coordinator on any path.
// - unshare blocks SIGINT and SIGTERM and forwards neither (measured with util-linux 2.38.1): Ctrl-C reaching the
//   process group leaves it running, and node (in the same group) ignores SIGINT itself, as in procs mode.
// - A namespace's pid 1 ignores every signal it has no handler for, except SIGKILL and SIGSTOP sent from outside:
//   the coordinator signals node by its host pid, which kill() and suspend() need, and never relies on SIGTERM.
// - The IPC channel (NODE_CHANNEL_FD and its fd) is inherited through setpriv and unshare unchanged.
import { readProcStat } from '@evbridge/metrics';
import { execa } from 'execa';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { WorkerExit } from './worker-handle.js';

const UNSHARE_ARGS = ['--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL'] as const;

/**
 * The command that runs `command args` as pid 1 of a new PID namespace, dying with this process. `unshareArgs`: more
 * namespaces for unshare to make (a time namespace in tests, see time-namespace.ts).
 */
export function pidnsCommand(
  command: string,
  args: readonly string[],
  unshareArgs: readonly string[] = [],
): { file: string; args: string[] } {
  return {
    file: 'setpriv',
    args: ['--pdeathsig', 'KILL', 'unshare', ...unshareArgs, ...UNSHARE_ARGS, '--', command, ...args],
  };
}

/** `fix`: what makes --isolate=pidns run here. */
export type PidnsProbe = { available: true } | { available: false; reason: string; fix: string };

/** Where --isolate=pidns can run: Linux, unshare and setpriv on PATH, and a real namespace created (root). */
export async function pidnsAvailable(): Promise<PidnsProbe> {
  if (process.platform !== 'linux') {
    return {
      available: false,
      reason: `this is ${process.platform}, not Linux`,
      fix: 'run on Linux or drop --isolate',
    };
  }
  for (const tool of ['setpriv', 'unshare']) {
    if (!onPath(tool)) {
      return {
        available: false,
        reason: `${tool} is not on PATH`,
        fix: 'install util-linux (apt-get install util-linux) or drop --isolate',
      };
    }
  }
  const probe = pidnsCommand('true', []);
  const result = await execa(probe.file, probe.args, { reject: false, stdin: 'ignore', timeout: 10_000 });
  if (result.exitCode === 0) return { available: true };
  const said =
    result.stderr.trim().split('\n').at(-1) ||
    (result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`);
  return {
    available: false,
    reason: `\`${probe.file} ${probe.args.join(' ')}\` failed: ${said}`,
    fix: 'run as root (CAP_SYS_ADMIN) or drop --isolate',
  };
}

/** The preflight of --isolate=pidns: throws one line naming the fix when this host cannot run it. */
export async function assertPidnsAvailable(): Promise<void> {
  const probe = await pidnsAvailable();
  if (probe.available) return;
  throw new Error(
    `--isolate=pidns needs Linux, root (CAP_SYS_ADMIN) and util-linux unshare and setpriv: ${probe.reason}; ${probe.fix}`,
  );
}

export function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Host pid of the pid 1 that the launcher `launcherPid` (setpriv, exec'd into unshare --fork) started, confirmed by its
 * NSpid line ("<host pid> ... 1"); undefined while unshare has not forked it yet, or once it is gone.
 */
export function namespaceInitPid(launcherPid: number): number | undefined {
  for (const child of childrenOf(launcherPid)) {
    const nsPids = nsPidsOf(child);
    if (nsPids !== undefined && nsPids.length > 1 && nsPids.at(-1) === 1) return nsPids[0];
  }
  return undefined;
}

/** The only child of the launcher `launcherPid` (setpriv exec'd into unshare --fork); undefined until it forked. */
export function forkedChildPid(launcherPid: number): number | undefined {
  const children = childrenOf(launcherPid);
  return children.length === 1 ? children[0] : undefined;
}

/** unshare is single-threaded, so its main task lists every child; /proc/<pid>/stat is the fallback for kernels without it. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((candidate) => parentOf(candidate) === pid);
  }
}

function parentOf(pid: number): number | undefined {
  return readProcStat(pid)?.ppid;
}

function nsPidsOf(pid: number): number[] | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('NSpid:'));
    return line?.slice('NSpid:'.length).trim().split(/\s+/).map(Number);
  } catch {
    return undefined;
  }
}

/**
 * unshare re-raises the signal that killed its child so that its own status reads the same, but SIGKILL cannot be
 * reset to its default action: util-linux 2.38 then prints this line and exits 1 instead.
 */
export function isUnshareSigkillNote(line: string): boolean {
  return /^unshare: sigprocmask unblock failed/.test(line);
}

/** The worker's exit as procs mode would report it, from the launcher's exit and whether node died of SIGKILL. */
export function namespaceExit(launcherExit: WorkerExit, nodeKilledBySigkill: boolean): WorkerExit {
  if (nodeKilledBySigkill && launcherExit.signal === null && launcherExit.exitCode === 1)
    return { exitCode: null, signal: 'SIGKILL' };
  return launcherExit;
}
