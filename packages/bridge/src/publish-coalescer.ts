// coalesce: 'tick': the publishes of one event-loop turn, encoded into one batch envelope and sent as one PUBLISH.

import type { ChannelTransport } from './channel-transport.js';

/** How to seal a batch: its constant head and tail, and its bounds. */
export interface CoalescerOptions {
  /** `{"v":2,...,"events":[`: the batch up to its events. */
  head: string;
  /** `]}`. */
  tail: string;
  /** At most this many events in one batch (`coalesceMaxEvents`). */
  maxEvents: number;
  /** At most this many UTF-8 bytes in one batch (`maxPayloadBytes`). */
  maxBytes: number;
}

/** The events of one batch not sent yet, and the promise of the PUBLISH that will carry them. */
interface OpenBatch {
  readonly transport: ChannelTransport;
  readonly events: string[];
  /** UTF-8 bytes of the whole batch as it stands: head, events, the commas between them, tail. */
  bytes: number;
  readonly result: Promise<number>;
  resolve: (receivers: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects the encoded events of one event-loop turn into one open batch and sends it when the turn's synchronous
 * code is done. A batch is sealed and sent at once, mid-turn, when the next event would take it above `maxEvents`
 * or `maxBytes` (or comes for another transport); the rest of the turn goes into the next batch, so order is kept.
 */
export class PublishCoalescer {
  readonly #options: CoalescerOptions;
  readonly #emptyBytes: number;
  #open: OpenBatch | undefined;
  #flushScheduled = false;

  constructor(options: CoalescerOptions) {
    this.#options = options;
    this.#emptyBytes = Buffer.byteLength(options.head) + Buffer.byteLength(options.tail);
  }

  /** UTF-8 bytes of a batch that carries one event of `eventBytes` bytes: above `maxBytes`, the event never fits. */
  loneBatchBytes(eventBytes: number): number {
    return this.#emptyBytes + eventBytes;
  }

  /**
   * Add one encoded batch event (`eventBytes` UTF-8 bytes, `loneBatchBytes(eventBytes) <= maxBytes`). Resolves with
   * the receiver count of the PUBLISH that carries its batch; rejects with that PUBLISH's error.
   */
  add(transport: ChannelTransport, event: string, eventBytes: number): Promise<number> {
    let batch = this.#open;
    if (
      batch !== undefined &&
      (batch.transport !== transport ||
        batch.events.length >= this.#options.maxEvents ||
        batch.bytes + 1 + eventBytes > this.#options.maxBytes)
    ) {
      this.#open = undefined;
      send(batch, this.#options);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = openBatch(transport, this.#emptyBytes);
      this.#open = batch;
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // process.nextTick, not queueMicrotask: a nextTick callback runs once the current synchronous run (one timer
        // callback, one I/O callback) has returned, before any promise callback, with no added wait. Queued from a
        // promise callback, it runs only after the whole microtask queue has drained, so publishes spread over a
        // chain of promise callbacks of one turn still share a batch, where a microtask would flush mid-chain.
        process.nextTick(this.#flush);
      }
    } else {
      batch.bytes += 1;
    }
    batch.events.push(event);
    batch.bytes += eventBytes;
    return batch.result;
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const batch = this.#open;
    if (batch === undefined) return;
    this.#open = undefined;
    send(batch, this.#options);
  };
}

function openBatch(transport: ChannelTransport, emptyBytes: number): OpenBatch {
  let resolve!: (receivers: number) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<number>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { transport, events: [], bytes: emptyBytes, result, resolve, reject };
}

/** One PUBLISH for the whole batch; its reply or error settles every event's promise. */
function send(batch: OpenBatch, options: CoalescerOptions): void {
  const payload = `${options.head}${batch.events.join(',')}${options.tail}`;
  let sending: Promise<number>;
  try {
    sending = batch.transport.publish(payload);
  } catch (error) {
    batch.reject(error);
    return;
  }
  sending.then(batch.resolve, batch.reject);
}
