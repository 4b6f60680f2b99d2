// evbridge-worker's command line: where the coordinator is, where the token is (never the token itself), the CA for
// wss://, how long to keep trying to connect; each mistake a one-line error naming the fix.
import { parseArgs } from 'node:util';

export interface RemoteWorkerOptions {
  /** ws:// or wss:// URL of the coordinator's --listen address. */
  coordinatorUrl: string;
  tokenFile: string | undefined;
  /** PEM CA to trust for wss:// (the one that signed the coordinator's --tls-cert); absent = Node's CAs. */
  caFile: string | undefined;
  /** Keep trying to connect this long (the coordinator may start after its workers, as on Kubernetes). */
  connectTimeoutMs: number;
  logLevel: string;
}

export const REMOTE_WORKER_DEFAULTS = { connectTimeoutMs: 60_000, logLevel: 'info' } as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const REMOTE_WORKER_USAGE = `Usage: evbridge-worker --coordinator ws://HOST:PORT [options]

One worker of an evbridge harness run on another host: it connects to the coordinator (pnpm harness --listen),
proves it holds the run token, and runs one bridge instance until the run ends.

  --coordinator <url>       ws://HOST:PORT or wss://HOST:PORT of the harness's --listen address (required)
  --token-file <path>       the run token's file (chmod 600), as the harness printed it; default $EVBRIDGE_TOKEN
  --ca <path>               PEM CA that signed the coordinator's --tls-cert (wss:// only); default Node's CAs
  --connect-timeout <time>  keep trying to connect this long, such as 30s or 5m; default 60s
  --log-level <level>       ${LOG_LEVELS.join(', ')}; default info
  --help                    this text`;

export type RemoteArgs = { ok: true; options: RemoteWorkerOptions } | { ok: false; message: string } | { help: true };

export function parseRemoteArgs(argv: readonly string[]): RemoteArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  if (argv.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    return {
      ok: false,
      message:
        'the token is never an argument (every user of this host can read arguments): put it in a file and give --token-file PATH, or set EVBRIDGE_TOKEN',
    };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        coordinator: { type: 'string' },
        'token-file': { type: 'string' },
        ca: { type: 'string' },
        'connect-timeout': { type: 'string' },
        'log-level': { type: 'string' },
      },
    }));
  } catch (error) {
    return { ok: false, message: `${(error as Error).message.split('\n')[0]}; see evbridge-worker --help` };
  }
  const url = values['coordinator'];
  if (typeof url !== 'string') {
    return { ok: false, message: 'say where the coordinator listens: --coordinator ws://HOST:PORT (its --listen)' };
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return {
      ok: false,
      message: `--coordinator must be a ws:// or wss:// URL, such as ws://10.0.0.5:7400 (got "${url}")`,
    };
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') {
    return {
      ok: false,
      message: `--coordinator must be a ws:// or wss:// URL, such as ws://10.0.0.5:7400 (got "${url}")`,
    };
  }
  const caFile = values['ca'] as string | undefined;
  if (caFile !== undefined && protocol !== 'wss:') {
    return { ok: false, message: '--ca applies only to a wss:// coordinator (TLS): use wss:// or drop --ca' };
  }
  const timeout = values['connect-timeout'] as string | undefined;
  const connectTimeoutMs = timeout === undefined ? REMOTE_WORKER_DEFAULTS.connectTimeoutMs : durationMs(timeout);
  if (connectTimeoutMs === undefined) {
    return { ok: false, message: `--connect-timeout must be a duration such as 500ms, 30s or 5m (got "${timeout}")` };
  }
  const logLevel = (values['log-level'] as string | undefined) ?? REMOTE_WORKER_DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    return { ok: false, message: `--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")` };
  }
  return {
    ok: true,
    options: {
      coordinatorUrl: url,
      tokenFile: values['token-file'] as string | undefined,
      caFile,
      connectTimeoutMs,
      logLevel,
    },
  };
}

/** "500ms", "30s", "5m" in whole milliseconds (at least 1); undefined for anything else. */
function durationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (match === null) return undefined;
  const ms = Math.round(Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms']);
  return ms >= 1 ? ms : undefined;
}
