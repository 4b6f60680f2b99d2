// Relays a worker's log line (pino JSON on stderr) into the coordinator's logger, tagged with the worker.
import type { Logger } from 'pino';

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

export function relayWorkerLog(logger: Logger, line: string): void {
  if (line.trim() === '') return;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    logger.warn({ line }, 'worker output');
    return;
  }
  if (typeof entry !== 'object' || entry === null) {
    logger.warn({ line }, 'worker output');
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = entry as Record<string, unknown>;
  const method = (typeof level === 'number' && LEVELS[level]) || 'info';
  logger[method](fields, typeof msg === 'string' ? msg : '');
}
