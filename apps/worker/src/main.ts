// Worker entry point: one OS process, one bridge, driven by the coordinator over the IPC channel.
import { pino } from 'pino';
import { onCoordinatorMessage, sendToCoordinator } from './ipc-channel.js';
import { serve } from './serve.js';

if (!process.send) {
  console.error('evbridge worker: start me through the coordinator (`pnpm harness`): I need its IPC channel.');
  process.exit(2);
}

// Logs are JSON lines on stderr; the coordinator tags them with the worker index and pid.
// Logs go to process.stderr (a pipe the coordinator reads), not a sonic-boom destination: when the coordinator is
// gone, sonic-boom's sync write retries EPIPE forever and the worker would hang; a Node stream reports the broken
// pipe as an 'error' instead, and a worker whose coordinator is gone exits.
process.stderr.on('error', () => process.exit(3));
const logger = pino({ level: process.env.EVBRIDGE_LOG_LEVEL ?? 'info', base: { pid: process.pid } }, process.stderr);

// Ctrl-C in a terminal reaches the whole process group: the coordinator decides how the run stops.
process.on('SIGINT', () => logger.debug('SIGINT ignored: the coordinator stops the run'));

const { session, hello } = serve({
  send: sendToCoordinator,
  onMessage: onCoordinatorMessage,
  logger,
  onShutdown: () => process.exit(0),
});

// The coordinator is gone (exited or SIGKILLed): never outlive it.
// No log line here: the coordinator that would read it is gone, and its stderr pipe may be broken.
process.on('disconnect', () => {
  void session.close().finally(() => process.exit(3));
  setTimeout(() => process.exit(3), 1000).unref();
});

await hello;
