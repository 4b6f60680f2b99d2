// The worker's protocol loop, the same whatever carries it (a process's IPC channel, a thread's MessagePort):
// hello, then every coordinator message validated and handed to one WorkerSession.
import type { Logger } from 'pino';
import { parseCoordinatorMessageLean } from '@evbridge/protocol';
import { helloMessage } from './hello.js';
import { WorkerSession, type CreateTransport, type Send } from './session.js';

export interface ServeOptions {
  /** Sends one message to the coordinator. */
  send: Send;
  /** Subscribes to every raw message from the coordinator, in order. */
  onMessage: (listener: (raw: unknown) => void) => void;
  logger: Logger;
  /** Called once the session closed after "shutdown": the carrier ends the worker its own way. */
  onShutdown: () => void;
  /** The transport factory; the bridge or the raw floor by default (test fixtures substitute their own). */
  createTransport?: CreateTransport;
}

export interface Serving {
  session: WorkerSession;
  /** Resolves once hello is sent; rejects when it could not be (the coordinator is gone). */
  hello: Promise<void>;
}

/** Starts serving: listens, says hello, and handles messages until "shutdown". */
export function serve({ send, onMessage, logger, onShutdown, createTransport }: ServeOptions): Serving {
  const session = new WorkerSession(send, logger, createTransport);

  async function reportError(phase: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error, phase }, 'worker error');
    await send({ type: 'error', phase, message }).catch(() => undefined);
  }

  // Handlers run concurrently with later messages (a drain must not block pings); errors become error messages.
  onMessage((raw) => {
    const parsed = parseCoordinatorMessageLean(raw);
    if (!parsed.ok) {
      void reportError(session.phase, new Error(`invalid message from the coordinator: ${parsed.error}`));
      return;
    }
    const { message } = parsed;
    session.handle(message).then(
      () => {
        if (message.type === 'shutdown') onShutdown();
      },
      (error: unknown) => reportError(`${session.phase}/${message.type}`, error),
    );
  });

  return { session, hello: send(helloMessage()) };
}
