// --dashboard: serves the run's page on loopback while it goes, pushes the run so far once a second over Server-Sent
// Events, and at the end serves the final report and tells every open page to load it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveSnapshot } from '../model/live-snapshot.js';
import type { Report } from '../model/report.js';

/** What the page shows: the run so far, or the final report. */
export type DashboardData = LiveSnapshot | Report;

export interface DashboardOptions {
  /** 0 picks a free port. */
  port: number;
  /** The whole page for `data` (self-contained: it loads nothing else but the event stream). */
  renderPage(data: DashboardData | undefined): string;
  /** What an open page gets once a second: the snapshot as the page redraws from it. */
  renderUpdate(snapshot: LiveSnapshot): unknown;
  /** How often the open pages get the run so far. */
  pushIntervalMs?: number;
  /** How long finish() waits for open pages to fetch the final report before the server closes. */
  finalGraceMs?: number;
}

/** Only loopback: the page shows the run's settings and nothing else on this host should be reachable through it. */
const HOST = '127.0.0.1';
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

export class DashboardServer {
  readonly #server: Server;
  readonly #options: Required<DashboardOptions>;
  readonly #clients = new Set<ServerResponse>();
  #snapshot: (() => LiveSnapshot) | undefined;
  #final: Report | undefined;
  #timer: NodeJS.Timeout | undefined;
  #port = 0;
  /** Times the final report's page was served, and who waits for that count to reach theirs. */
  #finalServed = 0;
  #onFinalServed: (() => void) | undefined;

  private constructor(server: Server, options: DashboardOptions) {
    this.#server = server;
    this.#options = { pushIntervalMs: 1000, finalGraceMs: 3000, ...options };
  }

  /** Listens on 127.0.0.1; rejects with one line naming the fix when the port is taken. */
  static async open(options: DashboardOptions): Promise<DashboardServer> {
    const server = createServer();
    const dashboard = new DashboardServer(server, options);
    server.on('request', (request, response) => dashboard.#handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `--dashboard: port ${options.port} on ${HOST} is in use: pass --dashboard=<another port>, or --dashboard=0 for any free one`
              : `--dashboard: cannot listen on ${HOST}:${options.port} (${error.message})`,
            { cause: error },
          ),
        );
      });
      server.listen(options.port, HOST, () => resolve());
    });
    dashboard.#port = (server.address() as AddressInfo).port;
    return dashboard;
  }

  get url(): string {
    return `http://${HOST}:${this.#port}/`;
  }

  /** Open pages connected to the event stream. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Measurement started: push the run so far to every open page once a second from now on. */
  watch(snapshot: () => LiveSnapshot): void {
    this.#snapshot = snapshot;
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#broadcast('snapshot', this.#update()), this.#options.pushIntervalMs);
    this.#timer.unref();
  }

  /**
   * The run is over: serve the final report (or, when the run ended without one, the last snapshot), tell every open
   * page to load it, wait until as many pages as were open have fetched it (at most finalGraceMs), and close.
   */
  async finish(report: Report | undefined): Promise<void> {
    clearInterval(this.#timer);
    if (report !== undefined) this.#final = report;
    const open = this.#clients.size;
    // Without a report there is nothing to load: the pages keep the last second they showed.
    if (report !== undefined) this.#broadcast('final', { passed: report.passed });
    if (open > 0 && report !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.finalGraceMs);
        this.#onFinalServed = () => {
          if (this.#finalServed >= open) resolve();
        };
      });
      clearTimeout(timer);
      this.#onFinalServed = undefined;
    }
    await this.close();
  }

  /** Ends every stream and stops listening; safe to call more than once. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #current(): DashboardData | undefined {
    return this.#final ?? this.#snapshot?.();
  }

  #update(): unknown {
    return this.#snapshot === undefined ? undefined : this.#options.renderUpdate(this.#snapshot());
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    // A page elsewhere could point a name it controls at 127.0.0.1 (DNS rebinding): answer only our own host names.
    const host = request.headers.host ?? '';
    if (host !== `${HOST}:${this.#port}` && host !== `localhost:${this.#port}`) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const path = new URL(request.url ?? '/', this.url).pathname;
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
      response.end(request.method === 'HEAD' ? undefined : this.#options.renderPage(this.#current()));
      if (this.#final !== undefined && request.method === 'GET') {
        this.#finalServed += 1;
        this.#onFinalServed?.();
      }
      return;
    }
    if (path === '/events') {
      this.#subscribe(request, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  /** One page's event stream: the run so far at once, then once a second, then `final`. */
  #subscribe(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      ...SECURITY_HEADERS,
    });
    response.write('retry: 1000\n\n');
    if (this.#final !== undefined) {
      response.write(event('final', { passed: this.#final.passed }));
      response.end();
      return;
    }
    const update = this.#update();
    if (update !== undefined) response.write(event('snapshot', update));
    this.#clients.add(response);
    request.on('close', () => this.#clients.delete(response));
  }

  #broadcast(name: string, data: unknown): void {
    if (data === undefined) return;
    const text = event(name, data);
    for (const client of this.#clients) client.write(text);
  }
}

/** One Server-Sent Event: JSON has no raw newline, so one data line carries it. */
function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
