// How publishes reach Redis: one socket write per tick, one write per publish, or ioredis auto-pipelining.

import type { Redis } from 'ioredis';

/**
 * - `tick`: the PUBLISHes of one synchronous run (one timer tick, one event handler) leave in one socket write
 *   (the socket is corked for the run and uncorked in a microtask right after it: no added wait). Each publish
 *   keeps its own reply; a lone publish is one write, exactly as with `none`.
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

/** Corks the publishing connection's socket for the rest of the current synchronous run. */
export class TickWrites {
  #corked: Corkable | undefined;

  /** Sends one PUBLISH through `publisher` (the ioredis command and its reply as usual), batched with its tick. */
  publish(publisher: Redis, channel: string, payload: string): Promise<number> {
    if (this.#corked === undefined && publisher.status === 'ready') {
      const stream: Corkable = publisher.stream;
      stream.cork();
      this.#corked = stream;
      queueMicrotask(this.#uncork);
    }
    return publisher.publish(channel, payload);
  }

  readonly #uncork = (): void => {
    const stream = this.#corked;
    this.#corked = undefined;
    stream?.uncork();
  };
}
