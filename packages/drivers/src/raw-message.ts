// What the two plain-client floors (raw on ioredis, node-redis) share: the minimal JSON message, its publish counting
// and its receive path (JSON.parse and a source-id compare, the least any self-filtering bridge must do).
import type { DriverSink } from '@evbridge/driver';

/** The raw message: source id, sequence, type, data. */
export interface RawMessage {
  s: string;
  q: number;
  t: string;
  d: unknown;
}

export interface PublishCounters {
  published: number;
  publishFailed: number;
}

export interface ReceiveCounters {
  received: number;
  selfEchoesFiltered: number;
  malformed: number;
}

/** Counts a publish when Redis answers it (`published`) or it fails (`publishFailed`); resolves as `sent` does. */
export function countPublish<T>(sent: Promise<T>, counters: PublishCounters): Promise<T> {
  return sent.then(
    (receivers) => {
      counters.published += 1;
      return receivers;
    },
    (error: unknown) => {
      counters.publishFailed += 1;
      throw error;
    },
  );
}

/** One received text: parsed, own echoes dropped by their source id, the rest handed to the sink. */
export function receiveRawMessage(text: string, ownId: string, counters: ReceiveCounters, sink: DriverSink): void {
  counters.received += 1;
  let message: RawMessage;
  try {
    message = JSON.parse(text) as RawMessage;
  } catch {
    counters.malformed += 1;
    return;
  }
  if (message.s === ownId) {
    counters.selfEchoesFiltered += 1;
    sink.onSelfEcho(message.t, message.d);
    return;
  }
  sink.onEvent(message.t, message.d, message.s, message.q);
}
