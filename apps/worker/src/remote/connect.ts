// Connects to the coordinator's control channel and authenticates both ways (control-handshake), retrying with
// backoff while nobody listens yet; a refusal or a certificate it cannot trust ends the attempt at once.
import { HANDSHAKE_FRAME_MAX_BYTES, type WelcomeMessage, workerHandshake } from '@evbridge/protocol';
import type { Logger } from 'pino';
import { type RawData, WebSocket } from 'ws';

/** Largest frame the worker takes from the coordinator after the handshake (its drain order lists every instance). */
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** Socket errors that mean "not there yet": worth another try. */
const RETRYABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);
/** Why the coordinator closed the connection, by its close code (control-server.ts). */
const REFUSALS: Readonly<Record<number, string>> = {
  1009: 'it sent a frame larger than the handshake allows',
  4400: 'the coordinator did not understand this worker: run the same evbridge build on both ends',
  4401: "the coordinator refused this worker's proof: its token is not the run's (check --token-file / EVBRIDGE_TOKEN)",
  4408: 'the coordinator closed the connection: this worker did not authenticate in time',
  4409: 'the run already has every remote worker it expects (--expect-workers): this one is not needed',
  4429: 'the coordinator has too many unauthenticated connections open: try again in a moment',
};

export interface ConnectOptions {
  url: string;
  token: string;
  /** PEM CA for wss://. */
  ca: string | undefined;
  timeoutMs: number;
  logger: Logger;
}

export interface Connected {
  socket: WebSocket;
  welcome: WelcomeMessage;
}

/** A failure not worth retrying. */
class Fatal extends Error {}

export async function connectToCoordinator(options: ConnectOptions): Promise<Connected> {
  const deadline = performance.now() + options.timeoutMs;
  let backoffMs = 100;
  for (;;) {
    try {
      return await attempt(options, Math.max(1, Math.round(deadline - performance.now())));
    } catch (error) {
      if (error instanceof Fatal) throw error;
      const waitMs = Math.min(backoffMs, Math.round(deadline - performance.now()));
      if (waitMs <= 0) {
        throw new Error(
          `could not reach the coordinator at ${options.url} within ${options.timeoutMs / 1000} s (${(error as Error).message}): is the harness running with --listen there? give more time with --connect-timeout`,
        );
      }
      options.logger.debug({ err: error, retryInMs: waitMs }, 'coordinator not reachable yet');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      backoffMs = Math.min(backoffMs * 2, 2000);
    }
  }
}

function attempt(options: ConnectOptions, timeoutMs: number): Promise<Connected> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.url, {
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      maxPayload: MAX_PAYLOAD_BYTES,
      perMessageDeflate: false,
      handshakeTimeout: Math.min(timeoutMs, 10_000),
    });
    const handshake = workerHandshake(options.token);
    let step: 'challenge' | 'welcome' | 'done' = 'challenge';
    const fail = (error: Error) => {
      if (step === 'done') return;
      step = 'done';
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(error);
    };
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const frame = isBinary || data.toString().length > HANDSHAKE_FRAME_MAX_BYTES ? '' : data.toString();
      if (step === 'challenge') {
        const auth = handshake.answer(frame);
        if (!auth.ok) return fail(new Fatal(auth.problem));
        step = 'welcome';
        socket.send(JSON.stringify(auth.value));
      } else if (step === 'welcome') {
        const welcome = handshake.checkWelcome(frame);
        if (!welcome.ok) return fail(new Fatal(welcome.problem));
        step = 'done';
        socket.removeAllListeners();
        resolve({ socket, welcome: welcome.value });
      }
    });
    socket.on('close', (code: number) => {
      const refusal = REFUSALS[code];
      if (refusal !== undefined) fail(new Fatal(refusal));
      else fail(new Error(`the connection closed during the handshake (code ${code})`));
    });
    socket.on('unexpected-response', (_request, response) => {
      fail(
        new Fatal(
          `${options.url} answered HTTP ${response.statusCode}, not a WebSocket: is it the harness's --listen address?`,
        ),
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (RETRYABLE.has(code) || /handshake has timed out/i.test(error.message)) fail(new Error(code || error.message));
      else if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code)) {
        fail(
          new Fatal(
            `the coordinator's certificate is not trusted (${code}): give --ca FILE, the CA that signed its --tls-cert`,
          ),
        );
      } else fail(new Fatal(`cannot connect to ${options.url} (${code || error.message})`));
    });
  });
}
