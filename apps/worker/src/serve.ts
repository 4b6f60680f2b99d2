// The worker's protocol loop, the same whatever carries it (a process's IPC channel, a thread's MessagePort):
// hello, then every coordinator message validated and handed to one WorkerSession.
import type { Logger } from 'pino';
import { parseCoordinatorMessageLean } from '@evbridge/protocol';
import { helloMessage } from './hello.js';
import type { CreateDriver } from './driver/create-driver.js';
import { WorkerSession, type Send } from './session.js';

export interface ServeOptions {
  /** Sends one message to the coordinator. */
  send: Send;
  /** Subscribes to every raw message from the coordinator, in order. */
  onMessage: (listener: (raw: unknown) => void) => void;
  logger: Logger;
  /** Called once the session closed after "shutdown": the carrier ends the worker its own way. */
  onShutdown: () => void;
  /** The driver factory; the one --driver chose by default (test fixtures wrap it). */
  createDriver?: CreateDriver;
}

export interface Serving {
  session: WorkerSession;
  /** Resolves once hello is sent; rejects when it could not be (the coordinator is gone). */
  hello: Promise<void>;
}

/** Starts serving: listens, says hello, and handles messages until "shutdown". */
export function serve({ send, onMessage, logger, onShutdown, createDriver }: ServeOptions): Serving {
  const session = new WorkerSession(send, logger, createDriver);

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
