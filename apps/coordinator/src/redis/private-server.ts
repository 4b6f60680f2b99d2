// Start a private, password-protected redis-server on a free loopback port for one run or test suite.

import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreePort } from './free-port.js';
import { locateBinary } from './locate-binary.js';
import { probeRedis } from './probe.js';
import { redactSecrets } from '@evbridge/bridge';
import { renderRedisConfig, type PrivateRedisTlsFiles } from './server-config.js';
import { makeServerDir } from './server-dir.js';
import { describeExit, launchServer, type ServerProcess } from './server-process.js';

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
  /** Persist to an append-only file in the server's dir, so restart() keeps the data (see renderRedisConfig). */
  appendOnly?: boolean;
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

/** No redis-server binary: the caller can say how to install one or how to use another Redis. */
export class RedisServerNotFoundError extends Error {
  override name = 'RedisServerNotFoundError';
}

const DEFAULT_HOST = '127.0.0.1';
const BIND_ATTEMPTS = 4;
const POLL_INTERVAL_MS = 25;

/** redis-server could not bind the port we picked: someone took it between our probe and its bind. */
class PortTakenError extends Error {}

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
  const caPem = options.tls === undefined ? undefined : await readFile(options.tls.caFile, 'utf8');
  const config = renderRedisConfig({
    port,
    password,
    dir,
    bind: host,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.appendOnly === true ? { appendOnly: true } : {}),
  });
  const target = { host, port, password, ...(caPem === undefined ? {} : { tls: { ca: caPem } }) };
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  // The config (with the password) goes to stdin: `redis-server -` reads it until EOF.
  const launch = (): Promise<ServerProcess> => launchServer(binary, ['-'], config);
  let current = await launch();
  let stopped = false;

  /** Stops the current process (SIGTERM, SIGKILL after 3 s) and waits for its exit; the port, password and dir stay. */
  const halt = (): Promise<void> => current.stop();

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
      throw new Error(`the private redis-server (pid ${current.pid}) still runs: halt() it first`);
    const server = await launch();
    current = server;
    try {
      await waitUntilReady(server, target, readyTimeoutMs);
    } catch (error) {
      await halt().catch(() => {});
      if (error instanceof Error) error.message = redactSecrets(error.message, [password]);
      throw error;
    }
    // stop() ran meanwhile: it may have found the old process only.
    if (stopped) await halt();
    options.logger?.info({ port, redisPid: server.pid }, 'private redis-server restarted');
  };

  try {
    const version = await waitUntilReady(current, target, readyTimeoutMs);
    if (current.pid === 0) throw new Error('private redis-server has no pid');
    options.logger?.info({ port, redisPid: current.pid, version }, 'private redis-server started');
    const scheme = caPem === undefined ? 'redis' : 'rediss';
    return {
      url: `${scheme}://:${password}@${host.includes(':') ? `[${host}]` : host}:${port}`,
      ...(caPem === undefined ? {} : { caPem }),
      port,
      password,
      get pid() {
        return current.pid;
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

async function waitUntilReady(
  server: ServerProcess,
  target: { host: string; port: number; password: string; tls?: { ca: string } },
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const exit = server.exit;
    if (exit !== undefined) {
      const lines = server.outputLines();
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
      const log = server.lastOutput();
      throw new Error(
        `private redis-server (pid ${server.pid}) did not answer an authenticated PING on ${target.host}:${target.port} within ${timeoutMs} ms (${reason}); its last output: ${log}`,
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
