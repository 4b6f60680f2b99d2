// Health check of one Redis connection: a PING every interval; a late PONG with nothing else arriving is a dead link.

import type { Redis } from 'ioredis';

export type UnresponsivePhase = 'ping' | 'handshake';

export interface HealthCheckConfig {
  /** How often a PING is sent (one at a time). */
  intervalMs: number;
  /** How long a PING (or a reconnect's handshake) may go unanswered before the connection is declared dead. */
  timeoutMs: number;
  /**
   * A number that grows whenever the connection delivers anything (replies, messages). A connection that
   * delivers is busy, not dead: its PONG is queued behind the backlog, so the wait starts over.
   */
  activity: () => number;
  /** The connection is dead: PING (`ping`) or the reconnect handshake (`handshake`) unanswered for `waitedMs`. */
  onUnresponsive: (phase: UnresponsivePhase, waitedMs: number) => void;
  /** A monotonic clock in ms (tests inject one). */
  now?: () => number;
}

interface Probe {
  id: number;
  sentAtMs: number;
  activity: number;
  timer: NodeJS.Timeout;
}

const monotonicMs = (): number => performance.now();

/**
 * Detects a half-open connection (Redis SIGSTOPped, a network path gone without FIN or RST) within about
 * `intervalMs + timeoutMs`, long before the OS would give up on the socket (a subscriber that never writes never
 * notices at all). PING is valid in RESP2 subscriber mode. When the deadline passes, the verdict waits for one
 * poll of the event loop (setImmediate): after this process was itself stalled (SIGSTOP, a blocked event loop) the
 * timer fires before the socket is read, and the PONG that arrived meanwhile must count.
 */
export class ConnectionHealthCheck {
  readonly #client: Redis;
  readonly #config: HealthCheckConfig;
  readonly #now: () => number;
  #interval: NodeJS.Timeout | undefined;
  #probe: Probe | undefined;
  #probeIds = 0;
  #handshake: { stream: unknown; sinceMs: number } | undefined;
  #activityAtTick = 0;
  #activityAtPreviousTick = 0;
  #lastTickMs = 0;
  #lastStallEndedMs: number | undefined;
  #stopped = false;

  constructor(client: Redis, config: HealthCheckConfig) {
    this.#client = client;
    this.#config = config;
    this.#now = config.now ?? monotonicMs;
  }

  start(): void {
    if (this.#stopped || this.#interval !== undefined) return;
    this.#activityAtTick = this.#activityAtPreviousTick = this.#config.activity();
    this.#lastTickMs = this.#now();
    this.#interval = setInterval(this.#tick, this.#config.intervalMs);
    this.#interval.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#interval);
    this.#interval = undefined;
    this.#clearProbe();
  }

  /**
   * Whether this process was stalled (SIGSTOP, a blocked event loop) just now: the next tick is overdue by more
   * than an interval, or a tick within the last two intervals ran that late.
   */
  get stalledRecently(): boolean {
    const nowMs = this.#now();
    const intervalMs = this.#config.intervalMs;
    if (nowMs - this.#lastTickMs > 2 * intervalMs) return true;
    return this.#lastStallEndedMs !== undefined && nowMs - this.#lastStallEndedMs <= 2 * intervalMs;
  }

  /** Whether the connection delivered anything since the tick before the last one (within 1-2 intervals). */
  get recentlyActive(): boolean {
    return this.#config.activity() !== this.#activityAtPreviousTick;
  }

  readonly #tick = (): void => {
    const nowMs = this.#now();
    // A tick this late means this process itself was stalled (SIGSTOP, a blocked event loop): read what arrived
    // meanwhile before probing, so a write to a connection Redis closed cannot reset it with unread data in it.
    const stalled = nowMs - this.#lastTickMs > 2 * this.#config.intervalMs;
    this.#lastTickMs = nowMs;
    if (stalled) this.#lastStallEndedMs = nowMs;
    this.#activityAtPreviousTick = this.#activityAtTick;
    this.#activityAtTick = this.#config.activity();
    const client = this.#client;
    const status = client.status;
    if (status === 'ready') {
      this.#handshake = undefined;
      if (this.#probe === undefined && !stalled) this.#sendProbe();
      return;
    }
    this.#clearProbe();
    if (status !== 'connect' || stalled) {
      this.#handshake = undefined;
      return;
    }
    // TCP is up, AUTH / the ready check are unanswered: ioredis has no timeout for this phase.
    const stream: unknown = client.stream;
    const handshake = this.#handshake;
    if (handshake === undefined || handshake.stream !== stream) {
      this.#handshake = { stream, sinceMs: this.#now() };
      return;
    }
    const waitedMs = this.#now() - handshake.sinceMs;
    if (waitedMs >= this.#config.timeoutMs) {
      this.#handshake = undefined;
      this.#config.onUnresponsive('handshake', Math.round(waitedMs));
    }
  };

  #sendProbe(): void {
    const id = ++this.#probeIds;
    this.#probe = { id, sentAtMs: this.#now(), activity: this.#config.activity(), timer: this.#armDeadline(id) };
    const settle = (): void => {
      if (this.#probe?.id === id) this.#clearProbe();
    };
    this.#client.ping().then(settle, settle);
  }

  #armDeadline(id: number): NodeJS.Timeout {
    const timer = setTimeout(() => setImmediate(() => this.#judge(id)).unref(), this.#config.timeoutMs);
    timer.unref();
    return timer;
  }

  #judge(id: number): void {
    const probe = this.#probe;
    if (this.#stopped || probe === undefined || probe.id !== id) return;
    const activity = this.#config.activity();
    if (activity !== probe.activity) {
      probe.activity = activity;
      probe.timer = this.#armDeadline(id);
      return;
    }
    this.#probe = undefined;
    this.#config.onUnresponsive('ping', Math.round(this.#now() - probe.sentAtMs));
  }

  #clearProbe(): void {
    if (this.#probe === undefined) return;
    clearTimeout(this.#probe.timer);
    this.#probe = undefined;
  }
}
