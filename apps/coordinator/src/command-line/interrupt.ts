// SIGINT/SIGTERM for the harness and bench commands: the first asks the run to stop and write what it has, the second
// exits at once with the shell's code for that signal.
import type { Logger } from 'pino';
import { EXIT_CODES } from '../config/exit-codes.js';

/** Returns a signal aborted (reason: the signal's name) on the first SIGINT/SIGTERM; `firstNotice` is logged then. */
export function abortOnSignals(logger: Pick<Logger, 'warn' | 'error'>, firstNotice: string): AbortSignal {
  const interrupt = new AbortController();
  let signals = 0;
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      signals += 1;
      if (signals === 1) {
        logger.warn(`${name}: ${firstNotice} (send again to force)`);
        interrupt.abort(name);
      } else {
        logger.error(`${name} again: exiting now`);
        process.exit(name === 'SIGTERM' ? EXIT_CODES.interruptedBySigterm : EXIT_CODES.interruptedBySigint);
      }
    });
  }
  return interrupt.signal;
}
