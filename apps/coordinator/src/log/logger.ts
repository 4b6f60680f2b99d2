// The coordinator's pino logger: readable on a TTY, JSON lines otherwise, always on stderr.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { SecretRegistry } from './secret-registry.js';

/** `secrets`: every line is scrubbed of them on its way out (worker lines relayed through this logger included). */
export function createLogger(
  level: string,
  stream: NodeJS.WriteStream = process.stderr,
  secrets?: SecretRegistry,
): Logger {
  if (stream.isTTY) {
    // pino-pretty pipes into its destination: it must be a real stream.
    const destination =
      secrets === undefined
        ? stream
        : new Writable({
            write: (chunk: Buffer | string, _encoding, done) => {
              stream.write(secrets.scrub(String(chunk)));
              done();
            },
          });
    return pino(
      { level },
      pretty({
        destination,
        sync: true,
        colorize: true,
        singleLine: true,
        ignore: 'pid,hostname',
        translateTime: 'HH:MM:ss.l',
      }),
    );
  }
  const fd = pino.destination({ fd: 2, sync: true });
  if (secrets === undefined) return pino({ level, base: { pid: process.pid } }, fd);
  const scrubbing = {
    write: (line: string) => fd.write(secrets.scrub(line)),
    flush: (callback?: (error?: Error) => void) => fd.flush(callback),
  };
  return pino({ level, base: { pid: process.pid } }, scrubbing);
}
