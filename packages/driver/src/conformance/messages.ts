// What the conformance kit and each of its instance processes say over IPC.

export type KitCommand =
  | { cmd: 'create'; moduleUrl: string; redisUrl: string; redisTls: { caPem: string } | undefined; namespace: string }
  | { cmd: 'connect' }
  | { cmd: 'publish'; tag: string; count: number }
  | { cmd: 'report' }
  | { cmd: 'close' };

/** An event the instance's sink got: who sent it, its sequence number, and the kit's tag and index in its data. */
export interface ReceivedEvent {
  source: string;
  seq: number;
  tag: string;
  i: number;
}

export type KitReply =
  | { ok: true; instanceId?: string; subscriberNames?: string[]; failed?: number; nextSeq?: number }
  | { ok: true; received: ReceivedEvent[]; selfEchoes: number; states: string[] }
  | { ok: true; handlesAfterClose: string[] }
  | { ok: false; error: string };

/** The event type and data the kit publishes. */
export const KIT_EVENT = 'evbridge.conformance';

export interface KitPayload {
  tag: string;
  i: number;
}

export const isKitPayload = (data: unknown): data is KitPayload =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as KitPayload).tag === 'string' &&
  typeof (data as KitPayload).i === 'number';
