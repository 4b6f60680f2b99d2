// Typed errors the bridge throws; each message says what to do, and the underlying error is kept as `cause`.

import type { BridgeState } from './state.js';

/** Stable machine-readable codes carried by every BridgeError. */
export type BridgeErrorCode =
  | 'EVBRIDGE_NOT_READY'
  | 'EVBRIDGE_CONNECT_FAILED'
  | 'EVBRIDGE_CLOSED'
  | 'EVBRIDGE_PUBLISH_FAILED';

/** Base class of the bridge's own errors (option and payload mistakes are plain `TypeError`s). */
export class BridgeError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** `publish()` was called while the bridge was not `ready`: the bridge fails fast instead of queueing. */
export class BridgeNotReadyError extends BridgeError {
  readonly state: BridgeState;

  constructor(state: BridgeState) {
    super(
      'EVBRIDGE_NOT_READY',
      `EventBridge is ${state}, not ready: publish() fails fast instead of queueing. ` +
        "Await connect() before publishing; while reconnecting, retry after the lifecycle 'recovered' event or drop the event.",
    );
    this.state = state;
  }
}

/** `connect()` could not reach, authenticate to, or subscribe on Redis in time. */
export class BridgeConnectError extends BridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EVBRIDGE_CONNECT_FAILED', message, options);
  }
}

/** The bridge was closed (or closed while `connect()` was running). */
export class BridgeClosedError extends BridgeError {
  constructor(message: string) {
    super('EVBRIDGE_CLOSED', message);
  }
}

/** Redis rejected or dropped a PUBLISH after the bridge sent it. */
export class BridgePublishError extends BridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EVBRIDGE_PUBLISH_FAILED', message, options);
  }
}
