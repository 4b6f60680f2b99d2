// How publishes reach Redis: one socket write per tick, one write per publish, or ioredis auto-pipelining.

import type { Redis } from 'ioredis';

/**
 * - `tick`: the PUBLISHes of one synchronous run (one timer tick, one event handler) leave in at most two socket
 *   writes: the first at once, the rest corked until the run ends (a microtask: no added wait). Each publish keeps
 *   its own reply; a lone publish is one write, exactly as with `none`.
 * - `none`: every publish() writes its PUBLISH at once (one write syscall each).
 * - `auto`: ioredis `enableAutoPipelining` on the publishing connection (queued until setImmediate, after I/O).
 * docs/performance.md has what each costs at 1k-40k events/s (an ioredis `pipeline()` per tick was slower than all).
 */
export type PublishPipelining = 'tick' | 'none' | 'auto';

export const PUBLISH_PIPELINING_MODES: readonly PublishPipelining[] = ['tick', 'none', 'auto'];

/** The part of a socket corking needs. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Batches the PUBLISHes of one synchronous run into as few socket writes as it can without delaying any: the
 * first goes out at once (a lone publish is exactly one write, as with `none`); from the second on the socket is
 * corked, and the rest leave together in one writev when the run ends (a microtask).
 */
export class TickWrites {
  #inRun = false;
  #runPublisher: Redis | undefined;
  #corked: Corkable | undefined;

  /** Sends one PUBLISH through `publisher` (the ioredis command and its reply as usual), batched with its run. */
  publish(publisher: Redis, channel: string, payload: string): Promise<number> {
    return this.write(publisher, () => publisher.publish(channel, payload));
  }

  /** Runs `send` (one command on `publisher`: PUBLISH, XADD...) batched with the other writes of its run. */
  write<T>(publisher: Redis, send: () => Promise<T>): Promise<T> {
    if (!this.#inRun) {
      this.#inRun = true;
      this.#runPublisher = publisher;
      queueMicrotask(this.#endRun);
    } else if (this.#corked === undefined && this.#runPublisher === publisher && publisher.status === 'ready') {
      const stream: Corkable = publisher.stream;
      stream.cork();
      this.#corked = stream;
    }
    return send();
  }

  readonly #endRun = (): void => {
    const stream = this.#corked;
    this.#inRun = false;
    this.#runPublisher = undefined;
    this.#corked = undefined;
    stream?.uncork();
  };
}
