// The channel transport over Redis Streams (at-least-once): XADD with a bounded MAXLEN, XREAD from this bridge's own cursor.

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChannelTransport } from './channel-transport.js';
import type { BridgeConnections } from './connections.js';
import type { BridgeCounters } from './counters.js';
import type { Lifecycle } from './lifecycle.js';
import { shouldLogOccurrence } from './logger.js';
import type { ResolvedBridgeOptions } from './options.js';
import { TickWrites } from './publish-pipeline.js';
import type { MessageSink } from './receive-path.js';
import { dropConnection } from './redis-clients.js';
import {
  checkGap,
  compareEntryIds,
  isEntryId,
  parseStreamInfo,
  type StreamCursor,
  type StreamGap,
  type StreamInfo,
} from './stream-gap.js';

/** The envelope field of an entry: the envelope, exactly as pub/sub carries it. */
export const STREAM_FIELD = 'e';
/** The message-id field: the same for every XADD of one publish (a resend after a reconnect), unique otherwise. */
export const MESSAGE_ID_FIELD = 'm';

/** How many recent message ids a reader remembers to drop a resent entry it already handled. */
export const DEDUP_WINDOW = 10_000;

/** Entries per XREAD. Never above streamMaxLen: a gap is possible only behind a full read (see #readLoop). */
const READ_COUNT = 500;

/** The longest XREAD BLOCK, in ms (see blockMsFor). */
const MAX_BLOCK_MS = 1_000;

/**
 * How long one XREAD may block. A blocked connection answers nothing else: the health check's PING waits behind
 * it, and so does QUIT on close. So the reader blocks in bounded slices and loops, rather than exempting its
 * connection from health checks: a PING then waits at most one slice (under half the health-check timeout), the
 * half-open detection keeps working on the reading connection, and close() waits at most a slice. The cost is one
 * empty XREAD per slice on an idle namespace.
 */
export function blockMsFor(healthCheckTimeoutMs: number): number {
  return Math.max(10, Math.min(MAX_BLOCK_MS, Math.floor(healthCheckTimeoutMs / 2)));
}

type XReadReply = [key: Buffer, entries: [id: Buffer, fields: Buffer[]][]][] | null;
type Entries = [id: Buffer, fields: Buffer[]][];

const NO_SUCH_KEY = /^ERR no such key/;
const EMPTY = Buffer.alloc(0);

function entriesOf(reply: XReadReply): Entries {
  return reply?.[0]?.[1] ?? [];
}

/**
 * The envelope and message id of an entry; an entry without an envelope becomes an empty message (counted
 * malformed, never dropped silently).
 */
function readEntry(fields: Buffer[]): { payload: Buffer; messageId: string | undefined } {
  let payload: Buffer = EMPTY;
  let messageId: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]?.toString();
    if (name === STREAM_FIELD) payload = fields[i + 1] ?? EMPTY;
    else if (name === MESSAGE_ID_FIELD) messageId = fields[i + 1]?.toString();
  }
  return { payload, messageId };
}

/** Ids seen lately, at most `capacity` (the oldest forgotten first): bounded memory. */
export class RecentIds {
  readonly #ids = new Set<string>();
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array<string | undefined>(capacity);
  }

  /** Remember `id`; false when it was already remembered (a duplicate). */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#ids.delete(evicted);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#ids.add(id);
    return true;
  }
}

/** A reply from Redis (it ran the command and refused it): resending would not help. */
function isRedisReply(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

export interface StreamsTransportDeps {
  options: ResolvedBridgeOptions;
  sink: MessageSink;
  counters: BridgeCounters;
  lifecycle: Lifecycle;
}

/**
 * At least once: every entry added after this bridge subscribed is handed to the receive path once, in stream
 * order, across reconnects of either connection and restarts of a Redis that persists the stream (AOF). An entry
 * trimmed away before this bridge read it is reported as lost (lifecycle `'lost'`), never skipped silently.
 *
 * Reading: XREAD COUNT BLOCK from the cursor (the id of the last entry handled) on the subscriber connection.
 * Redis trims a stream from its head and keeps at least MAXLEN entries, so entries after the cursor can have been
 * trimmed only when at least MAXLEN (>= READ_COUNT) newer ones remain: only a full read can hide a gap. The first
 * read after (re)subscribing and every read that follows or would be a full one run as MULTI { XREAD; XINFO
 * STREAM }, which tells atomically whether anything after the cursor was deleted (max-deleted-entry-id) and, from
 * entries-added, how many. A blocking read that comes back full is discarded and redone that way.
 */
export class StreamsTransport implements ChannelTransport {
  readonly commands = { publish: 'XADD', subscribe: 'XREAD' } as const;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #deps: StreamsTransportDeps;
  readonly #key: string;
  readonly #maxLen: string;
  readonly #readCount: number;
  readonly #blockMs: number;
  readonly #tickWrites = new TickWrites();
  readonly #pipelined: boolean;
  #cursor: StreamCursor = { id: '0-0', ordinal: 0 };
  /** Bumped by every (re)subscribe: a read loop of an older generation stops and its replies are ignored. */
  #generation = 0;
  #closed = false;
  /** The stream was found gone (reported once until it exists again). */
  #missingReported = false;
  #readErrors = 0;
  /** This transport's message ids: a random prefix and a counter. */
  readonly #messagePrefix = `${randomBytes(6).toString('base64url')}:`;
  #messages = 0;
  readonly #recent = new RecentIds(DEDUP_WINDOW);
  /** An XREAD BLOCK is in flight on the subscriber connection. */
  #blocked = false;

  constructor(connections: BridgeConnections, deps: StreamsTransportDeps) {
    this.#publisher = connections.publisher;
    this.#subscriber = connections.subscriber;
    this.#deps = deps;
    const { options } = deps;
    this.#key = options.stream;
    this.#maxLen = String(options.streamMaxLen);
    this.#readCount = Math.min(READ_COUNT, options.streamMaxLen);
    this.#blockMs = blockMsFor(options.healthCheckTimeoutMs);
    this.#pipelined = options.publishPipelining === 'tick';
  }

  /** Where this bridge stands in the stream (for tests and diagnostics). */
  get cursor(): Readonly<StreamCursor> {
    return this.#cursor;
  }

  /**
   * XADD. Resolves 0: a stream has no subscriber count to report (how many bridges will read an entry is not known
   * when it is added). When the connection drops before Redis replied, Redis may or may not have added the entry:
   * the XADD is sent again, with the same message id, once the connection is back (within connectTimeoutMs), and
   * readers drop the second copy by that id. Rejects with Redis's error reply, or when the connection is not back
   * in time, or on close().
   */
  publish(payload: string): Promise<number> {
    const messageId = `${this.#messagePrefix}${this.#messages++}`;
    const send = (): Promise<number> =>
      this.#publisher
        .xadd(this.#key, 'MAXLEN', '~', this.#maxLen, '*', STREAM_FIELD, payload, MESSAGE_ID_FIELD, messageId)
        .then(() => 0);
    const first = this.#pipelined ? this.#tickWrites.write(this.#publisher, send) : send();
    return first.catch((error: unknown) => this.#resend(send, error));
  }

  /** Send again once the publishing connection is ready, until connectTimeoutMs has passed since the first failure. */
  async #resend(send: () => Promise<number>, firstError: unknown): Promise<number> {
    if (isRedisReply(firstError)) throw firstError;
    const deadline = performance.now() + this.#deps.options.connectTimeoutMs;
    let lastError = firstError;
    while (!this.#closed) {
      const left = deadline - performance.now();
      if (left <= 0 || !(await this.#publisherReady(left))) break;
      this.#deps.counters.publishResent++;
      try {
        return await send();
      } catch (error) {
        if (isRedisReply(error)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  /** Resolves true once the publishing connection is ready (at once if it is), false after `timeoutMs` or close(). */
  #publisherReady(timeoutMs: number): Promise<boolean> {
    const publisher = this.#publisher;
    if (publisher.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ready: boolean): void => {
        clearTimeout(timer);
        clearInterval(closedPoll);
        publisher.removeListener('ready', onReady);
        resolve(ready);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      const closedPoll = setInterval(() => {
        if (this.#closed) done(false);
      }, 50);
      publisher.once('ready', onReady);
    });
  }

  /**
   * Start after the cursor kept in `cursorKey` when there is one (checking what was trimmed since), else at the
   * stream's tip (its last generated id: what `$` means), then read from there.
   */
  async subscribe(): Promise<void> {
    const generation = ++this.#generation;
    const kept = await this.#keptCursor();
    if (kept !== undefined) {
      this.#cursor = kept;
      if (generation === this.#generation) void this.#readLoop(generation, 'check');
      return;
    }
    let info: StreamInfo | null;
    try {
      info = parseStreamInfo(await this.#subscriber.xinfo('STREAM', this.#key));
    } catch (error) {
      if (!(error instanceof Error && NO_SUCH_KEY.test(error.message))) throw error;
      info = null;
    }
    this.#cursor = info === null ? { id: '0-0', ordinal: 0 } : { id: info.lastGeneratedId, ordinal: info.entriesAdded };
    if (generation === this.#generation) void this.#readLoop(generation, 'block');
  }

  /** The cursor `cursorKey` holds (`<entry id> <ordinal>`), or undefined (no key configured, none kept, unreadable). */
  async #keptCursor(): Promise<StreamCursor | undefined> {
    const key = this.#deps.options.cursorKey;
    if (key === undefined) return undefined;
    const value = await this.#subscriber.get(key);
    if (value === null) return undefined;
    const [id = '', ordinal] = value.split(' ');
    if (!isEntryId(id)) {
      this.#deps.options.logger.warn(
        { cursorKey: key },
        'EventBridge: options.cursorKey holds no stream cursor; starting at the stream tip',
      );
      return undefined;
    }
    const parsed = Number(ordinal);
    return { id, ordinal: Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : undefined };
  }

  /** Keep the cursor in `cursorKey` (queued before the next read on the same connection; a failure is not fatal). */
  #keepCursor(): void {
    const key = this.#deps.options.cursorKey;
    if (key === undefined) return;
    const { id, ordinal } = this.#cursor;
    this.#subscriber.set(key, ordinal === undefined ? id : `${id} ${ordinal}`).catch(() => undefined);
  }

  /** Resume after the last entry handled: what was added meanwhile is read first, a gap is reported. */
  async resubscribe(): Promise<void> {
    const generation = ++this.#generation;
    const full = await this.#readChecked(generation);
    if (generation === this.#generation) void this.#readLoop(generation, full ? 'check' : 'block');
  }

  /**
   * Stop reading. A blocked XREAD would hold the QUIT that ends the connection for up to a block slice: the reading
   * connection, which has nothing of value to flush, is closed at once instead. The supervisor ends the rest.
   */
  close(_timeoutMs: number): Promise<void> {
    this.#closed = true;
    this.#generation++;
    if (this.#blocked) this.#subscriber.disconnect();
    return Promise.resolve();
  }

  async #readLoop(generation: number, first: 'check' | 'block'): Promise<void> {
    let mode = first;
    while (!this.#closed && generation === this.#generation) {
      try {
        if (mode === 'check') {
          mode = (await this.#readChecked(generation)) ? 'check' : 'block';
          continue;
        }
        this.#blocked = true;
        const reply = (await this.#subscriber
          .xreadBuffer('COUNT', this.#readCount, 'BLOCK', this.#blockMs, 'STREAMS', this.#key, this.#cursor.id)
          .finally(() => {
            this.#blocked = false;
          })) as XReadReply;
        if (generation !== this.#generation) return;
        const entries = entriesOf(reply);
        // A full read may hide a gap: read it again with the check.
        if (entries.length >= this.#readCount) mode = 'check';
        else this.#deliver(entries, this.#cursor.ordinal === undefined ? undefined : this.#cursor.ordinal + 1);
      } catch (error) {
        this.#onReadError(generation, error);
        return;
      }
    }
  }

  /**
   * MULTI { XREAD COUNT from the cursor (not blocking inside MULTI); XINFO STREAM }: deliver what was read after
   * reporting any gap before it. Resolves whether the read was full (more may be waiting, and may hide a gap).
   */
  async #readChecked(generation: number): Promise<boolean> {
    const cursor = this.#cursor.id;
    const replies = await this.#subscriber
      .multi()
      .xreadBuffer('COUNT', this.#readCount, 'STREAMS', this.#key, cursor)
      .xinfo('STREAM', this.#key)
      .exec();
    if (replies === null) throw new Error('MULTI { XREAD; XINFO STREAM } was aborted');
    const [readReply, infoReply] = replies;
    if (readReply?.[0] != null) throw readReply[0];
    let info: StreamInfo | null = null;
    const infoError = infoReply?.[0];
    if (infoError != null) {
      if (!NO_SUCH_KEY.test(infoError.message)) throw infoError;
    } else {
      info = parseStreamInfo(infoReply?.[1]);
    }
    if (generation !== this.#generation || cursor !== this.#cursor.id) return false;
    const entries = entriesOf(readReply?.[1] as XReadReply);
    const firstId = entries[0]?.[0].toString();
    const { gap, firstOrdinal } = checkGap(this.#cursor, firstId, info);
    if (info === null) {
      if (gap !== undefined && !this.#missingReported) this.#reportGap(gap);
      this.#missingReported = true;
    } else {
      this.#missingReported = false;
      if (gap !== undefined) this.#reportGap(gap);
    }
    if (gap?.reason === 'reset') this.#cursor = { id: this.#cursor.id, ordinal: undefined };
    this.#deliver(entries, firstOrdinal);
    // At the tip: the ordinal is entries-added (this resynchronises it after a reset).
    if (info !== null && this.#cursor.id === info.lastGeneratedId) {
      this.#cursor = { id: this.#cursor.id, ordinal: info.entriesAdded };
    }
    return entries.length >= this.#readCount;
  }

  /** Hand each entry after the cursor to the receive path in order; one at or before it is a duplicate, dropped. */
  #deliver(entries: Entries, firstOrdinal: number | undefined): void {
    let ordinal = firstOrdinal;
    const { sink, counters } = this.#deps;
    const before = this.#cursor.id;
    for (const [idBuffer, fields] of entries) {
      const id = idBuffer.toString();
      if (compareEntryIds(id, this.#cursor.id) <= 0) {
        counters.duplicatesDropped++;
        continue;
      }
      this.#cursor = { id, ordinal };
      if (ordinal !== undefined) ordinal++;
      const { payload, messageId } = readEntry(fields);
      // A publish sent again after a reconnect that Redis had already added: the same message id, read twice.
      if (messageId !== undefined && !this.#recent.add(messageId)) {
        counters.duplicatesDropped++;
        continue;
      }
      sink(payload);
    }
    if (this.#cursor.id !== before) this.#keepCursor();
  }

  #reportGap(gap: StreamGap): void {
    const { counters, lifecycle, options } = this.#deps;
    counters.streamGaps++;
    if (gap.count !== null) counters.streamLostEntries += gap.count;
    options.logger.error(
      { ...gap, stream: this.#key, streamGaps: counters.streamGaps },
      gap.reason === 'trimmed'
        ? 'EventBridge: stream entries were trimmed before this bridge read them (it was away or behind by more than ' +
            'streamMaxLen); they are lost to it. Raise options.streamMaxLen to keep more history'
        : 'EventBridge: the stream is younger than this bridge cursor (Redis lost it: a restart without persistence?); ' +
            'entries after the cursor may be lost. Run Redis with appendonly yes for at-least-once delivery',
    );
    lifecycle.emit('lost', gap);
  }

  /**
   * A read failed. On a connection that closed (or is down) the supervisor resubscribes once it is ready again.
   * On a connection still up (NOPERM, WRONGTYPE...), drop it so the reconnect, paced by retryStrategy, retries.
   */
  #onReadError(generation: number, error: unknown): void {
    if (this.#closed || generation !== this.#generation || this.#subscriber.status !== 'ready') return;
    this.#readErrors++;
    if (shouldLogOccurrence(this.#readErrors)) {
      this.#deps.options.logger.error(
        { err: error instanceof Error ? error.message : String(error), stream: this.#key },
        'EventBridge could not read the stream; reconnecting to retry',
      );
    }
    dropConnection(this.#subscriber);
  }
}
