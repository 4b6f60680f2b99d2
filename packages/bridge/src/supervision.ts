// What the bridge asks of whatever supervises its Redis connections: one server (supervisor.ts) or a Cluster (cluster-supervisor.ts).

import type { ChannelTransport } from './channel-transport.js';

export interface Supervision {
  /** The transport while the bridge is `ready`; undefined otherwise (publishing then fails fast). */
  readonly readyTransport: ChannelTransport | undefined;
  /** See EventBridge.connect. */
  connect(): Promise<void>;
  /** See EventBridge.close: idempotent, every call returns the same promise. */
  close(): Promise<void>;
}
