// The worker's end of the coordinator's IPC channel, on Node's own process.send / 'message' (no execa in the worker).
// The coordinator forks with execaNode({ ipc: true, serialization: 'json' }) and sends without execa's `strict`
// option: on the wire that is Node's plain JSON IPC, which process.send and process.on('message') speak.
import type { SentWorkerMessage } from '@evbridge/protocol';

/** Sends one message to the coordinator; resolves once it is written to the channel. */
export function sendToCoordinator(message: SentWorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined || !process.connected) {
      reject(
        new Error(
          `could not send "${message.type}" to the coordinator: the IPC channel is closed (the coordinator is gone)`,
        ),
      );
      return;
    }
    process.send(message, (error: Error | null) => {
      if (error === null) resolve();
      else reject(new Error(`could not send "${message.type}" to the coordinator: ${error.message}`, { cause: error }));
    });
  });
}

/** Calls `listener` with every raw message from the coordinator, in order (validate it: it is only `unknown`). */
export function onCoordinatorMessage(listener: (raw: unknown) => void): void {
  process.on('message', listener);
}
