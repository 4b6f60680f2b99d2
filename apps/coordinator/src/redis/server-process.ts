// One redis-server (or sentinel) process of the harness's own: started under the parent-death guard, its last output
// kept for errors, signalled and stopped (SIGTERM, SIGKILL after 3 s), its exit awaited.
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { LineTail } from './line-tail.js';
import { locateBinary } from './locate-binary.js';

const FORCE_KILL_AFTER_MS = 3_000;
const EXIT_WAIT_MS = 10_000;

/** How a server process ended: its exit code or signal, or the spawn error's code (ENOENT, EACCES). */
export interface ServerExit {
  exitCode: number | undefined;
  signal: string | undefined;
  code: string | undefined;
}

export interface ServerProcess {
  readonly pid: number;
  /** How it ended; undefined while it runs. */
  readonly exit: ServerExit | undefined;
  readonly exited: Promise<ServerExit>;
  /** Its last lines of output (the config is not echoed, so never the password). */
  outputLines(): string[];
  /** The last five, one line, for error messages. */
  lastOutput(): string;
  /** Sends `signal` unless it has exited. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, SIGKILL after 3 s; resolves once it exited (idempotent); rejects if it outlives 10 s. */
  stop(): Promise<void>;
}

/** "was killed by SIGKILL", "exited with code 1". */
export function describeExit(exit: ServerExit): string {
  if (exit.signal !== undefined) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.exitCode ?? '?'}`;
}

/**
 * On Linux, `setpriv --pdeathsig SIGTERM` (util-linux) execs redis-server with PR_SET_PDEATHSIG: the kernel stops
 * the server when the process that started it dies, whichever way (SIGKILL included). Undefined elsewhere.
 */
export async function deathSignalGuard(): Promise<{ command: string; args: string[] } | undefined> {
  if (process.platform !== 'linux') return undefined;
  const setpriv = await locateBinary('setpriv');
  return setpriv === undefined ? undefined : { command: setpriv, args: ['--pdeathsig', 'SIGTERM', '--'] };
}

/**
 * Starts `binary args...` (redis-server), with `input` on stdin when given (a server's config, password included,
 * never argv), under deathSignalGuard, so it dies with the process that started it.
 */
export async function launchServer(binary: string, args: readonly string[], input?: string): Promise<ServerProcess> {
  const guard = await deathSignalGuard();
  const output = new LineTail(20);
  const subprocess = execa(guard?.command ?? binary, [...(guard?.args ?? []), binary, ...args], {
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    // With the kernel's parent-death signal the server dies with us even on SIGKILL, so it can live in its own
    // process group: a Ctrl-C in the terminal then stops the run, not the server under the final drain.
    detached: guard !== undefined,
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
  });
  subprocess.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  subprocess.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  let exit: ServerExit | undefined;
  const exited = subprocess.then((result) => {
    exit = { exitCode: result.exitCode, signal: result.signal, code: (result as { code?: string }).code };
    return exit;
  });
  const pid = subprocess.pid ?? 0;
  let stopping: Promise<void> | undefined;
  return {
    pid,
    get exit() {
      return exit;
    },
    exited,
    outputLines: () => output.lines(),
    lastOutput: () => output.lines().slice(-5).join(' | ') || 'no output',
    kill: (signal) => {
      if (exit === undefined) subprocess.kill(signal);
    },
    stop: () => {
      stopping ??= (async () => {
        if (exit === undefined) subprocess.kill('SIGTERM');
        const finished = await Promise.race([exited, delay(EXIT_WAIT_MS, undefined, { ref: false })]);
        if (finished === undefined) {
          throw new Error(`redis-server (pid ${pid}) did not exit within ${EXIT_WAIT_MS} ms of SIGTERM/SIGKILL`);
        }
      })();
      return stopping;
    },
  };
}
