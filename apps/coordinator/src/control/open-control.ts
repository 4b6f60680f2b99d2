// A run's control channel, when it has remote workers (--listen): the token, the listening server, the line that
// tells the user how to start a worker, and one warning when the channel is not encrypted off this host.
import { CONTROL_TOKEN_ENV } from '@evbridge/protocol';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { CONTROL_LIMITS, HARNESS_DEFAULTS } from '../config/defaults.js';
import { type HarnessOptions, localWorkerCount } from '../config/harness-options.js';
import { isLoopback } from '../config/loopback.js';
import { FAULT_KINDS } from '../model/fault-kinds.js';
import { type ControlLimits, ControlServer } from './control-server.js';
import { type RunToken, runToken } from './control-token-source.js';

export interface RunControl {
  server: ControlServer;
  token: RunToken;
  /** The command that starts one remote worker, for messages. */
  howToStart: string;
  /** Closes the server (cutting any worker still connected) and removes a token file this run made. */
  close(): Promise<void>;
}

export interface ControlDeps {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Prints one line for the user (stderr). */
  announce: (line: string) => void;
  /** Told the token at once, so no log line can carry it. */
  secrets?: { add(secrets: readonly string[]): void };
  /** CONTROL_LIMITS overrides (tests). */
  limits?: Partial<ControlLimits>;
}

/** Opens the control channel for `options.listen`; undefined for a run without remote workers. */
export async function openControl(options: HarnessOptions, deps: ControlDeps): Promise<RunControl | undefined> {
  if (options.listen === undefined) return undefined;
  const token = await runToken(options.tokenFile, deps.env);
  deps.secrets?.add([token.token]);
  let server: ControlServer;
  try {
    server = await ControlServer.open({
      listen: options.listen,
      tls: options.tls === undefined ? undefined : await readTls(options.tls),
      token: token.token,
      firstIndex: localWorkerCount(options),
      expectWorkers: options.expectWorkers ?? 0,
      heartbeat: heartbeatFor(options),
      logger: deps.logger,
      ...(deps.limits === undefined ? {} : { limits: deps.limits }),
    });
  } catch (error) {
    await token.remove();
    throw error;
  }
  const credential = token.file === undefined ? `(with ${CONTROL_TOKEN_ENV} set)` : `--token-file ${token.file}`;
  const ca = options.tls === undefined ? '' : ' --ca <the CA that signed --tls-cert>';
  const howToStart = `pnpm evbridge-worker --coordinator ${server.url} ${credential}${ca}`;
  if (options.tls === undefined && !isLoopback(options.listen.host)) {
    deps.logger.warn(
      `the control channel listens on ${server.url} without TLS: the private Redis's password crosses the network in clear when workers are configured; give --tls-cert and --tls-key for wss://`,
    );
  }
  const made = token.made ? ` (a new token, removed when the run ends)` : '';
  deps.announce(
    `evbridge harness: waiting for ${options.expectWorkers} remote workers on ${server.url}${made}; start each with: ${howToStart}`,
  );
  return {
    server,
    token,
    howToStart,
    close: async () => {
      await server.close();
      await token.remove();
    },
  };
}

/**
 * The heartbeat: a ping a second, and a silence taken for a drop-off only when longer than anything a live worker
 * may spend mute: 30 s, three stats timeouts, or the longest block-worker fault plus a stats timeout.
 */
export function heartbeatFor(options: Pick<HarnessOptions, 'statsTimeoutMs' | 'faults'>): {
  heartbeatMs: number;
  silenceMs: number;
} {
  const statsTimeoutMs = options.statsTimeoutMs ?? HARNESS_DEFAULTS.statsTimeoutMs;
  const longestMuteMs = Math.max(
    0,
    ...(options.faults ?? [])
      .filter((fault) => FAULT_KINDS[fault.kind].target === 'worker')
      .map((fault) => fault.durationMs),
  );
  return {
    heartbeatMs: CONTROL_LIMITS.heartbeatMs,
    silenceMs: Math.max(CONTROL_LIMITS.silenceMinMs, 3 * statsTimeoutMs, longestMuteMs + statsTimeoutMs),
  };
}

async function readTls(files: { certFile: string; keyFile: string }): Promise<{ cert: string; key: string }> {
  const read = (path: string, option: string) =>
    readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${option} ${path} cannot be read (${error.code}): give a PEM file this user can read`, {
        cause: error,
      });
    });
  return { cert: await read(files.certFile, '--tls-cert'), key: await read(files.keyFile, '--tls-key') };
}
