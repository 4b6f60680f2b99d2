// Worker entry as a piscina task (--mode=threads): one task is one worker for the whole run, one bridge in a worker
// thread of the coordinator's process, driven over a transferred MessagePort with the same protocol as a process.
import type { MessagePort } from 'node:worker_threads';
import { threadId } from 'node:worker_threads';
import { pino } from 'pino';
import type { SentWorkerMessage } from '@evbridge/protocol';
import { serve } from './serve.js';

export interface ThreadTask {
  /** The protocol: coordinator messages in, worker messages out. */
  port: MessagePort;
  /** Log lines out (pino JSON, one per message), relayed by the coordinator like a process's stderr. */
  logPort: MessagePort;
  logLevel: string;
}

/**
 * Serves the coordinator until "shutdown" closed the session, then resolves. Never calls process.exit (that would end
 * the thread only, outside piscina's knowledge): the coordinator ends a thread by aborting its task. Uncaught errors
 * reject the task, which the coordinator reports as this worker's failure, as it does a crashed process.
 */
export default async function runWorkerThread({ port, logPort, logLevel }: ThreadTask): Promise<void> {
  // Not this process's stderr: that belongs to the coordinator and every thread; the coordinator tags relayed lines.
  const logger = pino({ level: logLevel, base: { threadId } }, { write: (line: string) => logPort.postMessage(line) });
  const send = async (message: SentWorkerMessage): Promise<void> => port.postMessage(message);
  let shutDown!: () => void;
  const closed = new Promise<void>((resolve) => (shutDown = resolve));
  const { hello } = serve({
    send,
    onMessage: (listener) => port.on('message', listener),
    logger,
    onShutdown: shutDown,
  });
  await hello;
  await closed;
  // Closing from this side delivers what was posted first, then 'close' on the coordinator's ends.
  port.close();
  logPort.close();
}
