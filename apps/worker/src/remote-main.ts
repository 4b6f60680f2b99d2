// Worker entry point on another host (evbridge-worker): connects to the coordinator's control channel, proves the run
// token, then serves the protocol a forked worker speaks, over the WebSocket. It never outlives its run: it exits on
// shutdown, when the connection drops, or when the coordinator's heartbeat stops.
import { CONTROL_TOKEN_ENV, ControlTokenError, isKillMessage, readControlToken } from '@evbridge/protocol';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import type { RawData } from 'ws';
import { connectToCoordinator } from './remote/connect.js';
import { parseRemoteArgs, REMOTE_WORKER_USAGE } from './remote/remote-options.js';
import { watchHeartbeat } from './remote/heartbeat-watch.js';
import { serve } from './serve.js';

/** Exit codes: 2 a usage mistake (the message names the fix), 1 could not join the run, 3 the run is gone. */
const EXIT = { usage: 2, notJoined: 1, runGone: 3 } as const;

function stop(code: number, message: string): never {
  process.stderr.write(`evbridge-worker: ${message}\n`);
  process.exit(code);
}

const args = parseRemoteArgs(process.argv.slice(2));
if ('help' in args) {
  process.stdout.write(`${REMOTE_WORKER_USAGE}\n`);
  process.exit(0);
}
if (!args.ok) stop(EXIT.usage, args.message);
const options = args.options;

let token: string;
try {
  const found = await readControlToken({ tokenFile: options.tokenFile, env: process.env });
  if (found === undefined) {
    stop(EXIT.usage, `no token: give --token-file PATH (the file the harness printed) or set ${CONTROL_TOKEN_ENV}`);
  }
  token = found.token;
} catch (error) {
  if (error instanceof ControlTokenError) stop(EXIT.usage, error.message);
  throw error;
}
let ca: string | undefined;
if (options.caFile !== undefined) {
  try {
    ca = readFileSync(options.caFile, 'utf8');
  } catch (error) {
    stop(
      EXIT.usage,
      `--ca ${options.caFile} cannot be read (${(error as NodeJS.ErrnoException).code}): give a PEM file`,
    );
  }
}

process.stderr.on('error', () => process.exit(EXIT.runGone));
const logger = pino({ level: options.logLevel, base: { pid: process.pid } }, process.stderr);

let connected: Awaited<ReturnType<typeof connectToCoordinator>>;
try {
  connected = await connectToCoordinator({
    url: options.coordinatorUrl,
    token,
    ca,
    timeoutMs: options.connectTimeoutMs,
    logger,
  });
} catch (error) {
  stop(EXIT.notJoined, (error as Error).message);
}
const { socket, welcome } = connected;
logger.info({ coordinator: options.coordinatorUrl }, 'connected and authenticated; serving the run');

const listeners: Array<(raw: unknown) => void> = [];
let shuttingDown = false;

// Ends the worker once its session closed, at most after a second: the run is over or gone either way.
function leave(code: number, message: string | undefined): void {
  if (message !== undefined) logger.warn(message);
  void session.close().finally(() => process.exit(code));
  setTimeout(() => process.exit(code), 1000).unref();
}

socket.on('message', (data: RawData, isBinary: boolean) => {
  let raw: unknown = '(a binary frame)';
  if (!isBinary) {
    try {
      raw = JSON.parse(data.toString());
    } catch {
      raw = '(a text frame that is not JSON)';
    }
  }
  // The kill order (the kill-worker fault, or the coordinator ending a worker it cannot signal): a crash, on purpose.
  if (isKillMessage(raw)) process.kill(process.pid, 'SIGKILL');
  for (const listener of listeners) listener(raw);
});
socket.on('error', (error: Error) => logger.debug({ err: error }, 'control socket'));
socket.on('close', (code: number) => {
  if (shuttingDown) process.exit(0);
  leave(EXIT.runGone, `the coordinator closed the connection (code ${code}): the run is over for this worker`);
});
watchHeartbeat(socket, welcome.silenceMs, () =>
  leave(EXIT.runGone, `no heartbeat from the coordinator for ${welcome.silenceMs / 1000} s: it is gone`),
);

const { session, hello } = serve({
  send: (message) =>
    new Promise((resolve, reject) =>
      socket.send(JSON.stringify(message), (error?: Error) =>
        error ? reject(new Error(`could not send "${message.type}" to the coordinator: ${error.message}`)) : resolve(),
      ),
    ),
  onMessage: (listener) => listeners.push(listener),
  logger,
  onShutdown: () => {
    shuttingDown = true;
    socket.close(1000);
    setTimeout(() => process.exit(0), 1000).unref();
  },
});

await hello;
