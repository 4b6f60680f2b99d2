// What the bridge asks of whatever supervises its Redis connections: one server (supervisor.ts) or a Cluster (cluster-supervisor.ts).

import type { ChannelTransport } from './channel-transport.js';
import { BridgeClosedError } from './errors.js';
import type { BridgeState } from './state.js';

export interface Supervision {
  /** The transport while the bridge is `ready`; undefined otherwise (publishing then fails fast). */
  readonly readyTransport: ChannelTransport | undefined;
  /** See EventBridge.connect. */
  connect(): Promise<void>;
  /** See EventBridge.close: idempotent, every call returns the same promise. */
  close(): Promise<void>;
}

/**
 * The connect() and close() contract both supervisors keep: one connect attempt at a time (a call while connecting
 * joins it), nothing to do while ready or reconnecting, a closing or closed bridge refuses, and close() runs once.
 */
export class ConnectGate {
  #connecting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  /** See EventBridge.connect; `attempt` runs only from `idle`. */
  connect(state: BridgeState, attempt: () => Promise<void>): Promise<void> {
    switch (state) {
      case 'idle': {
        const connecting = attempt().finally(() => {
          if (this.#connecting === connecting) this.#connecting = undefined;
        });
        this.#connecting = connecting;
        return connecting;
      }
      case 'connecting':
        return this.#connecting ?? Promise.resolve();
      case 'ready':
      case 'reconnecting':
        return Promise.resolve();
      case 'closing':
      case 'closed':
        return Promise.reject(
          new BridgeClosedError('connect() was called on a closed EventBridge: create a new EventBridge'),
        );
    }
  }

  /** See EventBridge.close: `run` runs once, and every call returns its promise. */
  close(run: () => Promise<void>): Promise<void> {
    this.#closing ??= run();
    return this.#closing;
  }

  /** Resolves once the connect attempt in flight, if any, has settled (close() waits for it). Never rejects. */
  async settled(): Promise<void> {
    await this.#connecting?.catch(() => undefined);
  }
}
