// The bridge's lifecycle: its current state, and the one place its typed events (state, recovered, collision) leave.

import type { EventEmitter } from 'node:events';
import type { BridgeLogger } from './logger.js';
import { NO_STATE_CHANGE, type RecoveryInfo, type StateChange } from './outage.js';
import type { BridgeState } from './state.js';
import type { StreamGap } from './stream-gap.js';

/** Another bridge publishes under this bridge's instance id (seen on the first such event). */
export interface CollisionInfo {
  instanceId: string;
  ownNonce: string;
  otherNonce: string;
  otherPid: number;
  otherHost: string;
}

/** Events of `bridge.lifecycle` (a typed node:events EventEmitter). */
export interface BridgeLifecycleEvents {
  /** Every state change; `change` says why the bridge left `ready` and, back in `ready`, how long it was out. */
  state: [state: BridgeState, previous: BridgeState, change: StateChange];
  /** Ready (subscribed) again after an outage. */
  recovered: [info: RecoveryInfo];
  collision: [info: CollisionInfo];
  /** `delivery: 'at-least-once'`: stream entries this bridge will never read (trimmed first, or lost by Redis). */
  lost: [gap: StreamGap];
}

/** Holds the state and emits on the bridge's `lifecycle` emitter; a listener that throws is logged, never thrown. */
export class Lifecycle {
  readonly #emitter: EventEmitter<BridgeLifecycleEvents>;
  readonly #logger: BridgeLogger;
  #state: BridgeState = 'idle';

  constructor(emitter: EventEmitter<BridgeLifecycleEvents>, logger: BridgeLogger) {
    this.#emitter = emitter;
    this.#logger = logger;
  }

  get state(): BridgeState {
    return this.#state;
  }

  /** Move to `next` (nothing happens when already there) and emit `'state'`. */
  set(next: BridgeState, change: StateChange = NO_STATE_CHANGE): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.emit('state', next, previous, change);
  }

  emit<K extends keyof BridgeLifecycleEvents>(event: K, ...args: BridgeLifecycleEvents[K]): void {
    try {
      (this.#emitter.emit as (event: K, ...args: BridgeLifecycleEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#logger.error({ err: error, event }, 'EventBridge lifecycle listener threw');
    }
  }
}
