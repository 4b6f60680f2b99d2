// The outage in progress: when the bridge left `ready`, why, which connections dropped, and the state changes it makes.

import type { BridgeCounters } from './counters.js';
import type { Lifecycle } from './lifecycle.js';
import type { OutageCause, RecoveryInfo } from './outage.js';
import type { ConnectionRole } from './redis-clients.js';

interface Outage {
  /** Monotonic ms. */
  startedMs: number;
  cause: OutageCause;
  connections: ConnectionRole[];
}

export class OutageTracker {
  readonly #lifecycle: Lifecycle;
  readonly #counters: BridgeCounters;
  #outage: Outage | undefined;
  /** The server the bridge received from when last `ready`; undefined before the first. */
  #server: string | undefined;

  constructor(lifecycle: Lifecycle, counters: BridgeCounters) {
    this.#lifecycle = lifecycle;
    this.#counters = counters;
  }

  /** Begin an outage now: the state becomes `reconnecting`, with `cause` and the connections that are down. */
  begin(cause: OutageCause, roles: readonly ConnectionRole[]): void {
    this.#outage = { startedMs: performance.now(), cause, connections: [...roles] };
    this.#counters.outages++;
    this.#lifecycle.set('reconnecting', { cause, outageMs: null, connections: [...roles] });
  }

  /**
   * Connections dropped (or were dropped): in an outage they join it; from `ready` an outage begins, timed from
   * now; in any other state nothing happens.
   */
  lost(cause: OutageCause, roles: readonly ConnectionRole[]): void {
    const outage = this.#outage;
    if (outage !== undefined) {
      for (const role of roles) if (!outage.connections.includes(role)) outage.connections.push(role);
      return;
    }
    if (this.#lifecycle.state !== 'ready') return;
    this.begin(cause, roles);
  }

  /** The server (`host:port`) the bridge receives from once first `ready`, to tell a failover from a reconnect. */
  connectedTo(server: string | undefined): void {
    this.#server = server;
  }

  /**
   * Back to `ready`, receiving from `server`: the outage (if any) ends, counted and announced with the lifecycle
   * `'recovered'` event, which says whether the server changed.
   */
  recover(server: string | undefined): void {
    const outage = this.#outage;
    this.#outage = undefined;
    const previous = this.#server;
    if (server !== undefined) this.#server = server;
    if (outage === undefined) {
      this.#lifecycle.set('ready');
      return;
    }
    const info: RecoveryInfo = {
      cause: outage.cause,
      outageMs: Math.round(performance.now() - outage.startedMs),
      connections: outage.connections,
      server: server ?? null,
      serverChanged: server !== undefined && previous !== undefined && server !== previous,
    };
    this.#counters.recoveries++;
    this.#lifecycle.set('ready', info);
    this.#lifecycle.emit('recovered', info);
  }

  /** Forget the outage (the bridge is closing). */
  clear(): void {
    this.#outage = undefined;
  }
}
