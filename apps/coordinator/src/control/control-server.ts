// The control channel remote workers connect to (--listen): an HTTP(S) server upgraded to WebSocket (ws), where each
// connection must authenticate (control-handshake) and say hello before it becomes a RemoteWorker. Until then it is a
// stranger: its bytes, its time and the number of strangers at once are bounded, and whatever it does wrong closes it,
// counted by reason (refusals.ts), while the run goes on.
import { coordinatorHandshake } from '@evbridge/protocol';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { CONTROL_LIMITS } from '../config/defaults.js';
import type { ListenAddress } from '../config/harness-options.js';
import { RemoteWorker, sendJson } from '../fleet/remote-worker.js';
import type { ControlInfo, ControlRefusal } from '../model/report.js';
import { Refusals } from './refusals.js';

export interface ControlServerOptions {
  listen: ListenAddress;
  /** PEM certificate and key to serve wss:// with; absent = ws://. */
  tls?: { cert: string; key: string } | undefined;
  /** The run's token (never logged, never sent: both ends prove they hold it). */
  token: string;
  /** The index the first remote worker gets (the local workers take those before it). */
  firstIndex: number;
  expectWorkers: number;
  /** The heartbeat both ends keep (see RemoteWorker, and the worker's remote-main). */
  heartbeat: { heartbeatMs: number; silenceMs: number };
  logger: Logger;
  /** CONTROL_LIMITS, some overridden (tests shorten the pre-auth deadline). */
  limits?: Partial<ControlLimits>;
}

/** CONTROL_LIMITS' settings, as numbers (tests give shorter ones). */
export type ControlLimits = { [K in keyof typeof CONTROL_LIMITS]: number };

/** One connection that has not become a worker yet. */
interface Stranger {
  socket: Socket;
  peer: string;
  bytes: number;
  deadline: NodeJS.Timeout;
  onData: (chunk: Buffer) => void;
  ws?: WebSocket;
  /** Proved the token, and holds one of the expected places until its hello arrives. */
  authenticated: boolean;
  done: boolean;
}

/** WebSocket close codes the control channel uses (4000-4999 are the application's). */
export const CONTROL_CLOSE_CODES = {
  oversize: 1009,
  garbage: 4400,
  badProof: 4401,
  slow: 4408,
  surplus: 4409,
  overLimit: 4429,
} as const satisfies Record<ControlRefusal, number>;

export class ControlServer {
  readonly #options: ControlServerOptions;
  readonly #limits: ControlLimits;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  /** By peer address (host:port): the same for a TLS connection's raw socket and its TLS socket. */
  readonly #strangers = new Map<string, Stranger>();
  readonly #refusals: Refusals;
  readonly #refusedSockets = new WeakSet<Socket>();
  readonly #arrived: RemoteWorker[] = [];
  #authenticated = 0;
  #closed = false;
  #url = '';
  #allArrived: (() => void) | undefined;

  private constructor(options: ControlServerOptions) {
    this.#options = options;
    this.#limits = { ...CONTROL_LIMITS, ...options.limits };
    this.#refusals = new Refusals(options.logger);
    const onRequest = (request: IncomingMessage, response: ServerResponse) => {
      // Plain HTTP is no handshake: 426 and closed.
      const stranger = this.#strangers.get(peerOf(request.socket));
      response.writeHead(426, { connection: 'close', 'content-type': 'text/plain' }).end('WebSocket only\n');
      if (stranger) this.#refuse(stranger, 'garbage');
    };
    this.#server = options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
    // Every TCP connection, TLS or not, is a stranger from its first byte; a failed TLS handshake is garbage.
    this.#server.on('connection', (socket: Socket) => this.#accept(socket));
    this.#server.on('tlsClientError', (_error: Error, socket: Socket) => this.#refuseSocket(socket, 'garbage'));
    this.#server.on('clientError', (_error: Error, socket: Socket) => this.#refuseSocket(socket, 'garbage'));
    this.#wss = new WebSocketServer({
      server: this.#server,
      maxPayload: this.#limits.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    // An upgrade request that is no WebSocket handshake: with a listener here, ws leaves the socket to us.
    this.#wss.on('wsClientError', (_error: Error, socket: Socket) => this.#refuseSocket(socket, 'garbage'));
    this.#wss.on('connection', (ws: WebSocket, request: IncomingMessage) => this.#challenge(ws, request));
  }

  /** Listens on options.listen; rejects with a one-line error naming the fix when it cannot. */
  static async open(options: ControlServerOptions): Promise<ControlServer> {
    const server = new ControlServer(options);
    const { host, port } = options.listen;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `cannot listen for workers on ${host}:${port} (${error.code ?? error.message}): choose another --listen address or port`,
            { cause: error },
          ),
        );
      server.#server.once('error', onError);
      server.#server.listen(port, host, () => {
        server.#server.off('error', onError);
        resolve();
      });
    });
    const address = server.#server.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    server.#url = `${options.tls ? 'wss' : 'ws'}://${shownHost}:${boundPort}`;
    return server;
  }

  /** Where workers connect, as bound: ws://127.0.0.1:7400. */
  get url(): string {
    return this.#url;
  }

  /** The remote workers so far, in arrival (= index) order. */
  get arrived(): readonly RemoteWorker[] {
    return this.#arrived;
  }

  /**
   * Resolves with every expected remote worker once all arrived; rejects after `timeoutMs` with a one-line error
   * naming who arrived and the fix (`howToStart`: the command that starts one).
   */
  arrivals(timeoutMs: number, howToStart: string): Promise<RemoteWorker[]> {
    const expected = this.#options.expectWorkers;
    if (this.#arrived.length >= expected) return Promise.resolve([...this.#arrived]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#allArrived = undefined;
        const who = this.#arrived.map((worker) => `worker ${worker.index} from ${worker.host} (pid ${worker.pid})`);
        reject(
          new Error(
            `${this.#arrived.length} of ${expected} remote workers arrived within ${timeoutMs / 1000} s (${who.join(', ') || 'none'}): start the others with \`${howToStart}\`, or give them longer with --arrival-timeout`,
          ),
        );
      }, timeoutMs);
      this.#allArrived = () => {
        clearTimeout(timer);
        resolve([...this.#arrived]);
      };
    });
  }

  /** The channel for the report: where it listened, who came, what it refused. */
  info(): ControlInfo {
    return {
      listen: this.#url,
      workersExpected: this.#options.expectWorkers,
      workersArrived: this.#arrived.length,
      refused: this.#refusals.counts,
    };
  }

  /** Stops listening, closes every stranger, and cuts any remote worker still connected. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const stranger of this.#strangers.values()) this.#settle(stranger, () => stranger.socket.destroy());
    await Promise.all(this.#arrived.map((worker) => (worker.exit ? undefined : worker.terminate())));
    this.#wss.close();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** A new TCP (or TLS) connection: a stranger, bounded in number, bytes and time. */
  #accept(socket: Socket): void {
    const peer = peerOf(socket);
    if (this.#closed || socket.remoteAddress === undefined || this.#strangers.has(peer)) {
      socket.destroy();
      return;
    }
    if (this.#strangers.size >= this.#limits.unauthenticatedMax) {
      this.#refusals.note('overLimit', peer);
      socket.destroy();
      return;
    }
    const stranger: Stranger = {
      socket,
      peer,
      bytes: 0,
      authenticated: false,
      done: false,
      deadline: setTimeout(() => this.#refuse(stranger, 'slow'), this.#limits.preAuthMs),
      onData: (chunk) => {
        stranger.bytes += chunk.length;
        if (stranger.bytes > this.#limits.preAuthBytes) this.#refuse(stranger, 'oversize');
      },
    };
    stranger.deadline.unref();
    this.#strangers.set(peer, stranger);
    socket.on('data', stranger.onData);
    socket.once('close', () => this.#settle(stranger, () => undefined));
  }

  /** The WebSocket is open: challenge; the answer must prove the token, then the next frame be a hello. */
  #challenge(ws: WebSocket, request: IncomingMessage): void {
    const stranger = this.#strangers.get(peerOf(request.socket));
    if (stranger === undefined || stranger.done) {
      ws.terminate();
      return;
    }
    stranger.ws = ws;
    const handshake = coordinatorHandshake(this.#options.token, this.#options.heartbeat);
    const onError = (error: Error & { code?: string }) =>
      this.#refuse(stranger, error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversize' : 'garbage');
    const onMessage = (data: RawData, isBinary: boolean) => {
      if (stranger.done) return;
      if (isBinary) {
        this.#refuse(stranger, 'garbage');
        return;
      }
      const text = data.toString();
      if (!stranger.authenticated) {
        const checked = handshake.check(text);
        if (!checked.ok) {
          this.#refuse(stranger, checked.reason);
          return;
        }
        if (this.#closed || this.#arrived.length + this.#authenticated >= this.#options.expectWorkers) {
          this.#refuse(stranger, 'surplus');
          return;
        }
        stranger.authenticated = true;
        this.#authenticated += 1;
        sendJson(ws, checked.welcome).catch(() => undefined);
        return;
      }
      const hello = helloOf(text);
      if (hello === undefined) {
        this.#refuse(stranger, 'garbage');
        return;
      }
      ws.off('message', onMessage);
      ws.off('error', onError);
      this.#settle(stranger, () => undefined);
      this.#admit(ws, hello, stranger.peer);
    };
    ws.on('message', onMessage);
    ws.on('error', onError);
    sendJson(ws, handshake.challenge).catch(() => undefined);
  }

  /** An authenticated worker that said hello: the next remote worker of the run. */
  #admit(ws: WebSocket, hello: { raw: unknown; pid: number; host: string }, peer: string): void {
    const { logger, heartbeat } = this.#options;
    const index = this.#options.firstIndex + this.#arrived.length;
    const worker = new RemoteWorker({
      index,
      socket: ws,
      hello,
      logger,
      heartbeatMs: heartbeat.heartbeatMs,
      silenceMs: heartbeat.silenceMs,
      killGraceMs: this.#limits.killGraceMs,
    });
    this.#arrived.push(worker);
    logger.info(
      { worker: index, host: hello.host, workerPid: hello.pid, peer },
      `remote worker ${index} arrived from ${hello.host} (pid ${hello.pid}), ${this.#arrived.length} of ${this.#options.expectWorkers}`,
    );
    if (this.#arrived.length >= this.#options.expectWorkers) this.#allArrived?.();
  }

  /** Closes a stranger for `reason`, counted once; the peer gets a close code, then the socket is destroyed. */
  #refuse(stranger: Stranger, reason: ControlRefusal): void {
    if (stranger.done) return;
    this.#refusals.note(reason, stranger.peer);
    this.#settle(stranger, () => {
      if (stranger.ws) {
        stranger.ws.close(CONTROL_CLOSE_CODES[reason]);
        // A peer that does not close its end in a moment is cut.
        setTimeout(() => stranger.socket.destroy(), 1000).unref();
      } else {
        stranger.socket.destroy();
      }
    });
    // A flood of bytes must stop being read at once, whatever the close frame does.
    if (reason === 'oversize' || reason === 'slow') stranger.socket.pause();
  }

  /** A socket refused before it was known as a stranger (a TLS or HTTP error on it), or after. */
  #refuseSocket(socket: Socket, reason: ControlRefusal): void {
    // A failed TLS handshake is reported twice (tlsClientError, then clientError): counted once per socket.
    if (this.#refusedSockets.has(socket)) return;
    this.#refusedSockets.add(socket);
    // Its socket may have lost its address already: it is counted here then.
    const stranger = this.#strangers.get(peerOf(socket));
    if (stranger) this.#refuse(stranger, reason);
    else {
      this.#refusals.note(reason, peerOf(socket));
      socket.destroy();
    }
  }

  /** The stranger is no stranger any more (a worker, refused, or gone): stops watching it, then `then`. */
  #settle(stranger: Stranger, then: () => void): void {
    if (stranger.done) return;
    stranger.done = true;
    clearTimeout(stranger.deadline);
    stranger.socket.off('data', stranger.onData);
    this.#strangers.delete(stranger.peer);
    if (stranger.authenticated) this.#authenticated -= 1;
    then();
  }
}

/** host:port of the far end (IPv6 in brackets). */
function peerOf(socket: Socket): string {
  const address = socket.remoteAddress ?? '?';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
}

/** A hello frame's pid and host (the inbox validates the rest), or undefined for anything else. */
function helloOf(text: string): { raw: unknown; pid: number; host: string } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, pid, host } = raw as { type?: unknown; pid?: unknown; host?: unknown };
  if (type !== 'hello' || !Number.isSafeInteger(pid) || typeof host !== 'string' || host === '') return undefined;
  return { raw, pid: pid as number, host };
}
