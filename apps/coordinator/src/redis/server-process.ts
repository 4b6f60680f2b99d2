// One redis-server or sentinel process of a private topology: started under the parent-death guard, its last output
// kept for errors, signalled and stopped (SIGTERM, SIGKILL after 3 s), its exit awaited.
import { setTimeout as delay } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { LineTail } from './line-tail.js';
import { deathSignalGuard } from './private-server.js';

const FORCE_KILL_AFTER_MS = 3_000;
const EXIT_WAIT_MS = 10_000;

export interface ServerProcess {
  readonly pid: number;
  /** How it ended ("killed by SIGKILL", "exited with code 1"); undefined while it runs. */
  readonly exit: string | undefined;
  readonly exited: Promise<string>;
  /** Its last lines of output, for error messages (they never hold the password: the config is not echoed). */
  lastOutput(): string;
  /** Sends `signal` unless it has exited. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, SIGKILL after 3 s; resolves once it exited (idempotent); rejects if it outlives 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `binary args...` (redis-server), with `input` on stdin when given (a server's config, password included, never
 * argv). On Linux it runs under `setpriv --pdeathsig SIGTERM`, so it dies with the process that started it.
 */
export async function launchServer(binary: string, args: readonly string[], input?: string): Promise<ServerProcess> {
  const guard = await deathSignalGuard();
  const output = new LineTail(20);
  const subprocess: ResultPromise = execa(guard?.command ?? binary, [...(guard?.args ?? []), binary, ...args], {
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    // Its own process group: a Ctrl-C in the terminal stops the run, which stops the servers in order.
    detached: guard !== undefined,
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
  });
  subprocess.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  let exit: string | undefined;
  const exited = subprocess.then((result) => {
    exit = result.signal !== undefined ? `killed by ${result.signal}` : `exited with code ${result.exitCode ?? '?'}`;
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
