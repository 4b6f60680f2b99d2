// The coordinator's pino logger: readable on a TTY, JSON lines otherwise, always on stderr.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export function createLogger(level: string, stream: NodeJS.WriteStream = process.stderr): Logger {
  if (stream.isTTY) {
    return pino(
      { level },
      pretty({ destination: stream, sync: true, colorize: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }),
    );
  }
  return pino({ level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
}
