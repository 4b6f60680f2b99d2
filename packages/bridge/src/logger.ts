// The minimal logger the bridge writes to (pino-compatible), a silent default, and a log-flood limiter.

/** Any pino-like logger fits: `warn(obj, msg)`, `error(obj, msg)`, optional `debug(obj, msg)`. */
export interface BridgeLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
  debug?(obj: Record<string, unknown>, msg: string): void;
}

/** The default: logs nothing. */
export const silentLogger: BridgeLogger = {
  warn() {},
  error() {},
};

/**
 * Whether the `count`-th occurrence of a repeated problem should be logged: the first 10, then every 1000th,
 * so a handler that throws on every event cannot flood the logs at 10k events/s.
 */
export function shouldLogOccurrence(count: number): boolean {
  return count <= 10 || count % 1000 === 0;
}
