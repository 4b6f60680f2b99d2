// A worker on another host (evbridge-worker), driven over its authenticated WebSocket: the same protocol and the same
// validation (MessageInbox) as a forked process; its exit is its connection closing, watched by WebSocket heartbeats.
import { type CoordinatorMessage, KILL_MESSAGE } from '@evbridge/protocol';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { InboxWorker } from './inbox-worker.js';
import type { WorkerExit } from './worker-handle.js';

export interface RemoteWorkerOptions {
  index: number;
  /** The authenticated connection (the handshake is done; its hello is `hello`). */
  socket: WebSocket;
  /** The worker's hello, as it arrived (validated by the inbox like any message); pid and host read from it. */
  hello: { raw: unknown; pid: number; host: string };
  logger: Logger;
  /** A ping this often; a worker that answers none for silenceMs has dropped off. */
  heartbeatMs: number;
  silenceMs: number;
  /** After the kill order, how long the worker has to end itself before its connection is cut. */
  killGraceMs: number;
}

export class RemoteWorker extends InboxWorker {
  readonly pid: number;
  readonly #host: string;
  readonly exited: Promise<WorkerExit>;
  readonly #socket: WebSocket;
  readonly #killGraceMs: number;
  /** Why the coordinator closed the connection itself (a silent worker, the kill order), for its exit. */
  #cutReason: string | undefined;
  #killOrdered = false;

  constructor(options: RemoteWorkerOptions) {
    super(options.index);
    this.pid = options.hello.pid;
    this.#host = options.hello.host;
    this.#socket = options.socket;
    this.#killGraceMs = options.killGraceMs;
    const socket = options.socket;
    socket.on('message', (data: RawData, isBinary: boolean) => this.receive(isBinary ? data : jsonOf(data)));
    // Errors end in 'close', where the exit is recorded; the error itself says nothing the close code does not.
    socket.on('error', (error: Error) => options.logger.debug({ worker: this.index, err: error }, 'control socket'));
    // Monotonic time: a step of the wall clock (NTP) must not read as silence.
    let lastPongMs = performance.now();
    socket.on('pong', () => (lastPongMs = performance.now()));
    const heartbeat = setInterval(() => {
      const silentMs = Math.round(performance.now() - lastPongMs);
      if (silentMs > options.silenceMs) {
        this.#cutReason = `stopped answering heartbeats for ${silentMs} ms (its connection was cut)`;
        socket.terminate();
        return;
      }
      socket.ping();
    }, options.heartbeatMs);
    heartbeat.unref();
    this.exited = new Promise((resolve) => {
      socket.on('close', (code: number) => {
        clearInterval(heartbeat);
        resolve(this.exitedWith(this.#exitOf(code)));
      });
    });
    this.receive(options.hello.raw);
  }

  override get host(): string {
    return this.#host;
  }

  /** How the closed connection reads as an exit: a clean close after shutdown is exit code 0. */
  #exitOf(code: number): WorkerExit {
    if (this.#killOrdered && this.#cutReason === undefined) {
      return { exitCode: null, signal: 'SIGKILL', reason: "killed itself with SIGKILL on the coordinator's order" };
    }
    if (this.#cutReason !== undefined) return { exitCode: null, signal: null, reason: this.#cutReason };
    if (code === 1000 && this.exitExpected) return { exitCode: 0, signal: null };
    return { exitCode: null, signal: null, reason: `dropped its connection (WebSocket close code ${code})` };
  }

  protected async post(message: CoordinatorMessage): Promise<void> {
    await sendJson(this.#socket, message);
  }

  /** None: the worker's process is on another host; it ends itself on the kill order instead. */
  readonly os = undefined;

  /**
   * The kill order: the worker SIGKILLs itself (as a forked worker is SIGKILLed) and its connection closes; one that
   * does not within killGraceMs (blocked, gone quiet) has its connection cut, and ends itself once it sees that.
   */
  async terminate(): Promise<WorkerExit> {
    this.expectExit();
    if (this.exit) return this.exited;
    if (!this.#killOrdered) {
      this.#killOrdered = true;
      sendJson(this.#socket, KILL_MESSAGE).catch(() => undefined);
      const timer = setTimeout(() => {
        this.#cutReason = `did not end itself within ${this.#killGraceMs} ms of the kill order (its connection was cut)`;
        this.#socket.terminate();
      }, this.#killGraceMs);
      void this.exited.finally(() => clearTimeout(timer));
    }
    return this.exited;
  }
}

/** A text frame parsed as JSON; anything unparsable is handed on as is, for the inbox to refuse as invalid. */
function jsonOf(data: RawData): unknown {
  const text = data.toString();
  try {
    return JSON.parse(text);
  } catch {
    return '(a text frame that is not JSON)';
  }
}

/** Sends `message` as one JSON text frame; resolves once it is written. */
export function sendJson(socket: WebSocket, message: object): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.send(JSON.stringify(message), (error?: Error) => (error ? reject(error) : resolve()));
  });
}
