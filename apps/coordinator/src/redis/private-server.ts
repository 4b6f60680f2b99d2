// Start a private, password-protected redis-server on a free loopback port for one run or test suite.

import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { findFreePort } from './free-port.js';
import { LineTail } from './line-tail.js';
import { locateBinary } from './locate-binary.js';
import { probeRedis } from './probe.js';
import { redactSecrets } from '@evbridge/bridge';
import { renderRedisConfig, type PrivateRedisTlsFiles } from './server-config.js';
import { makeServerDir } from './server-dir.js';

export interface PrivateRedisLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface StartPrivateRedisOptions {
  /** The redis-server binary: a path, or a name looked up on PATH. Default 'redis-server'. */
  redisServerPath?: string;
  logger?: PrivateRedisLogger;
  /** How long the server may take to answer an authenticated PING. Default 5000. */
  readyTimeoutMs?: number;
  /** Serve TLS only (a rediss:// URL), with these PEM files; the config, paths included, still goes to stdin. */
  tls?: PrivateRedisTlsFiles;
  /** The address to listen on (--redis-bind, for remote workers); default 127.0.0.1. */
  host?: string;
}

export interface PrivateRedis {
  /** `redis://:password@127.0.0.1:port` (`rediss://` with TLS): contains the password, never log it (see redactRedisUrl). */
  url: string;
  /** With TLS: the PEM text of the CA that signed the server's certificate. */
  caPem?: string;
  port: number;
  password: string;
  /** The current server process (a restart() starts another). */
  readonly pid: number;
  version: string;
  /** SIGTERM, SIGKILL after 3 s, wait for exit, remove the temp dir. Idempotent; no restart() after it. */
  stop(): Promise<void>;
  /**
   * Stops the server process the same way but keeps its port, password and data directory: a fault (restart-redis)
   * that takes Redis down, as an operator's restart would. restart() brings it back.
   */
  halt(): Promise<void>;
  /** Starts redis-server again on the same port with the same password; resolves once it answers an authenticated PING. */
  restart(): Promise<void>;
}

/** One redis-server process of a private server (a restart starts another). */
interface ServerProcess {
  subprocess: ResultPromise;
  exit: ExitInfo | undefined;
  exited: Promise<ExitInfo>;
}

/** No redis-server binary: the caller can say how to install one or how to use another Redis. */
export class RedisServerNotFoundError extends Error {
  override name = 'RedisServerNotFoundError';
}

const DEFAULT_HOST = '127.0.0.1';
const BIND_ATTEMPTS = 4;
const POLL_INTERVAL_MS = 25;
const FORCE_KILL_AFTER_MS = 3_000;
const EXIT_WAIT_MS = 10_000;

/** redis-server could not bind the port we picked: someone took it between our probe and its bind. */
class PortTakenError extends Error {}

interface ExitInfo {
  exitCode: number | undefined;
  signal: string | undefined;
  code: string | undefined;
}

function describeExit(exit: ExitInfo): string {
  if (exit.signal !== undefined) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.exitCode ?? '?'}`;
}

export async function startPrivateRedis(options: StartPrivateRedisOptions = {}): Promise<PrivateRedis> {
  const command = options.redisServerPath ?? 'redis-server';
  const binary = await locateBinary(command);
  if (binary === undefined) {
    throw new RedisServerNotFoundError(
      `redis-server was not found (looked for '${command}'${command.includes('/') ? '' : ' on PATH'}): ` +
        'install redis-server (e.g. apt-get install redis-server, brew install redis) or use an existing Redis with --redis <url> / REDIS_URL',
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= BIND_ATTEMPTS) throw error;
      options.logger?.warn(
        { attempt },
        'private redis-server lost its port to another process; retrying on a new port',
      );
    }
  }
}

async function startOnce(binary: string, options: StartPrivateRedisOptions): Promise<PrivateRedis> {
  const password = randomBytes(24).toString('hex');
  const host = options.host ?? DEFAULT_HOST;
  const port = await findFreePort(host);
  const dir = await makeServerDir();
  const output = new LineTail(20);
  const caPem = options.tls === undefined ? undefined : await readFile(options.tls.caFile, 'utf8');
  const guard = await deathSignalGuard();
  const config = renderRedisConfig({
    port,
    password,
    dir,
    bind: host,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  const target = { host, port, password, ...(caPem === undefined ? {} : { tls: { ca: caPem } }) };
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  // The config (with the password) goes to stdin: `redis-server -` reads it until EOF.
  const launch = (): ServerProcess => {
    const subprocess = execa(guard?.command ?? binary, [...(guard?.args ?? []), binary, '-'], {
      input: config,
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
    const server: ServerProcess = { subprocess, exit: undefined, exited: Promise.resolve(undefined as never) };
    server.exited = subprocess.then((result) => {
      server.exit = { exitCode: result.exitCode, signal: result.signal, code: (result as { code?: string }).code };
      return server.exit;
    });
    return server;
  };
  let current = launch();
  let stopped = false;

  /** Stops the current process (SIGTERM, SIGKILL after 3 s) and waits for its exit; the port, password and dir stay. */
  const halt = async (): Promise<void> => {
    const server = current;
    if (server.exit === undefined) server.subprocess.kill('SIGTERM');
    const finished = await Promise.race([server.exited, delay(EXIT_WAIT_MS, undefined, { ref: false })]);
    if (finished === undefined) {
      throw new Error(
        `private redis-server (pid ${server.subprocess.pid}) did not exit within ${EXIT_WAIT_MS} ms of SIGTERM/SIGKILL`,
      );
    }
  };

  const stop = memoize(async () => {
    stopped = true;
    try {
      await halt();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /** Starts redis-server again on the same port, password and dir, once the previous process is gone. */
  const restart = async (): Promise<void> => {
    if (stopped) throw new Error('the private redis-server was stopped for good: it cannot be restarted');
    if (current.exit === undefined)
      throw new Error(`the private redis-server (pid ${current.subprocess.pid}) still runs: halt() it first`);
    const server = launch();
    current = server;
    try {
      await waitUntilReady(server.subprocess, () => server.exit, target, readyTimeoutMs, output);
    } catch (error) {
      await halt().catch(() => {});
      if (error instanceof Error) error.message = redactSecrets(error.message, [password]);
      throw error;
    }
    // stop() ran meanwhile: it may have found the old process only.
    if (stopped) await halt();
    options.logger?.info({ port, redisPid: server.subprocess.pid }, 'private redis-server restarted');
  };

  try {
    const version = await waitUntilReady(current.subprocess, () => current.exit, target, readyTimeoutMs, output);
    if (current.subprocess.pid === undefined) throw new Error('private redis-server has no pid');
    options.logger?.info({ port, redisPid: current.subprocess.pid, version }, 'private redis-server started');
    const scheme = caPem === undefined ? 'redis' : 'rediss';
    return {
      url: `${scheme}://:${password}@${host.includes(':') ? `[${host}]` : host}:${port}`,
      ...(caPem === undefined ? {} : { caPem }),
      port,
      password,
      get pid() {
        return current.subprocess.pid ?? 0;
      },
      version,
      stop,
      halt,
      restart,
    };
  } catch (error) {
    await stop().catch(() => {});
    if (error instanceof Error) error.message = redactSecrets(error.message, [password]);
    throw error;
  }
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

async function waitUntilReady(
  subprocess: ResultPromise,
  getExit: () => ExitInfo | undefined,
  target: { host: string; port: number; password: string; tls?: { ca: string } },
  timeoutMs: number,
  output: LineTail,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const exit = getExit();
    if (exit !== undefined) {
      const lines = output.lines();
      const log = lines.slice(-5).join(' | ') || 'no output';
      if (lines.some((line) => /Address already in use|Failed listening on port/i.test(line))) {
        throw new PortTakenError(`redis-server could not bind ${target.host}:${target.port}: ${log}`);
      }
      if (exit.code === 'ENOENT' || exit.code === 'EACCES') {
        throw new Error(
          `redis-server could not be started (${exit.code}): install redis-server or pass --redis <url> / REDIS_URL`,
        );
      }
      throw new Error(`private redis-server ${describeExit(exit)} before it was ready: ${log}`);
    }
    try {
      return await probeRedis(target);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      const log = output.lines().slice(-5).join(' | ') || 'no output';
      throw new Error(
        `private redis-server (pid ${subprocess.pid}) did not answer an authenticated PING on ${target.host}:${target.port} within ${timeoutMs} ms (${reason}); its last output: ${log}`,
        { cause: lastError },
      );
    }
    await delay(POLL_INTERVAL_MS);
  }
}

function memoize(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
