// EventBridge options: the documented defaults in one object, and validation at the constructor boundary.

import type { RedisOptions } from 'ioredis';
import { channelFor, streamKeyFor } from './channel.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, type EventMeta } from './envelope.js';
import { silentLogger, type BridgeLogger } from './logger.js';
import { PUBLISH_PIPELINING_MODES, type PublishPipelining } from './publish-pipeline.js';
import { parseRedisUrl, type ParsedRedisUrl } from './redis-url.js';
import { shardChannelsFor } from './shard-channels.js';

/** How many Redis connections a bridge opens: see `BridgeOptions.connections`. */
export type ConnectionsMode = 'separate' | 'shared';

export const CONNECTIONS_MODES: readonly ConnectionsMode[] = ['separate', 'shared'];

/** Whether publishes of one event-loop turn share a message: see `BridgeOptions.coalesce`. */
export type CoalesceMode = 'off' | 'tick';

export const COALESCE_MODES: readonly CoalesceMode[] = ['off', 'tick'];

/** What the bridge promises about each event reaching every other bridge: see `BridgeOptions.delivery`. */
export type DeliveryMode = 'at-most-once' | 'at-least-once';

export const DELIVERY_MODES: readonly DeliveryMode[] = ['at-most-once', 'at-least-once'];

export interface BridgeOptions {
  /**
   * Where Redis is: a `redis://` or `rediss://` URL (`redis://:password@host:6379/0`), a Sentinel group's
   * `redis+sentinel://[:password@]host:26379,host:26380/masterName[/db]` (`rediss+sentinel://` for TLS; the password
   * is the master's and the sentinels'), a Redis Cluster's seed nodes `redis+cluster://[:password@]host:port,host:port`
   * (`rediss+cluster://` for TLS; sharded pub/sub, see `shardChannels`), or ioredis `RedisOptions` (with `sentinels`
   * and `name` for a Sentinel group). With sentinels the bridge follows the master they name, and
   * `failoverDetector` is on unless you turn it off.
   * Required: the bridge never guesses a server.
   */
  redis: string | RedisOptions;
  /** Extra ioredis options merged over `redis` (TLS, username, family, retryStrategy...). */
  redisOptions?: RedisOptions;
  /** Bridges exchange events only within a namespace. The channel is `${namespace}:events`. */
  namespace?: string;
  /** Override the instance id (default `${host}:${pid}:${nonce}`). Must be unique among bridges of a namespace. */
  instanceId?: string;
  /** The host label carried in envelopes and the default instance id (not the Redis host). */
  host?: string;
  /** Largest encoded envelope, in UTF-8 bytes, that is published or accepted. */
  maxPayloadBytes?: number;
  /** How long `connect()` may take before it rejects. */
  connectTimeoutMs?: number;
  /** How long `close()` waits for pending publishes and QUIT before it disconnects hard. */
  closeTimeoutMs?: number;
  /**
   * How often each connection is PINGed to detect a half-open connection (Redis stopped, a path gone without a
   * FIN). 0 turns health checks off (and with them the inference of output-buffer closes).
   */
  healthCheckIntervalMs?: number;
  /**
   * How long a PING may go unanswered, with nothing else arriving on the connection, before the bridge drops the
   * connection and reconnects (state `reconnecting`, cause `health-check`). Detection takes at most about
   * `healthCheckIntervalMs + healthCheckTimeoutMs`. Keep it above the longest `CLIENT PAUSE` or slow command you expect.
   */
  healthCheckTimeoutMs?: number;
  /**
   * How publishes reach Redis: `tick` sends the PUBLISHes of one synchronous run in one socket write right after
   * it (no added wait), `none` one write per publish, `auto` ioredis auto-pipelining (flushed at setImmediate).
   * Replies, ordering and errors are per publish in every mode. See docs/performance.md for the measurements.
   */
  publishPipelining?: PublishPipelining;
  /**
   * `separate`: two connections, a publisher (`evbridge:pub:<instanceId>`) and a subscriber
   * (`evbridge:sub:<instanceId>`). `shared`: one RESP3 connection (`evbridge:pubsub:<instanceId>`) that subscribes
   * and publishes: Redis runs any command on a subscribed RESP3 connection, and pushes the messages between the
   * replies. Half the connections per instance; publishes and received events then share one socket, one health
   * check and one outage (a drop takes both), and an output-buffer close is reported as `connection-lost` (no
   * second connection shows that Redis is still up). Needs RESP3 (Redis >= 6, ioredis's default `protocol: 3`):
   * `connect()` rejects when the connection speaks RESP2.
   */
  connections?: ConnectionsMode;
  /**
   * `off`: one PUBLISH of one envelope (v1) per publish(). `tick`: every publish() of one event-loop turn is encoded
   * into one batch envelope (v2) and sent as one PUBLISH once the turn's synchronous code has run (no timer, no
   * added wait): fewer, larger messages through Redis for the same events. Each event keeps its own seq, id, type,
   * data and timestamp, and reaches handlers exactly as without coalescing; each publish() resolves with the receiver
   * count of the PUBLISH that carried it, or rejects with its error. A batch is split at `coalesceMaxEvents` events
   * or `maxPayloadBytes`. Every bridge of this release reads batches whatever its own setting; a bridge of an older
   * release drops them as malformed 'version': upgrade every bridge of the namespace before turning it on.
   */
  coalesce?: CoalesceMode;
  /** With `coalesce: 'tick'`, at most this many events in one batch (more in one turn go in further batches). */
  coalesceMaxEvents?: number;
  /**
   * `at-most-once`: Redis pub/sub on `${namespace}:events`; what is sent while a bridge is disconnected never
   * reaches it. `at-least-once`: Redis Streams on `${namespace}:stream` (XADD with MAXLEN ~ `streamMaxLen`); each
   * bridge reads from its own cursor, starting at the stream's tip when it connects, and after a reconnect resumes
   * after the last entry it handled, so it gets what was sent while it was away. Entries trimmed before a bridge
   * read them are reported (lifecycle `'lost'`, counters `streamGaps` / `streamLostEntries`), never skipped
   * silently. Needs Redis >= 7 and `connections: 'separate'` (the reader's XREAD BLOCK holds its connection).
   * Every bridge of a namespace must use the same mode: the two never see each other's events.
   */
  delivery?: DeliveryMode;
  /**
   * With `delivery: 'at-least-once'`: XADD trims the stream to about this many entries (MAXLEN ~: at least this
   * many are kept). A bridge that falls further behind than this, or is away that long, loses the oldest (reported).
   * Memory in Redis is about this many times an entry (the envelope plus ~20 bytes). Use one value per namespace.
   */
  streamMaxLen?: number;
  /**
   * With `delivery: 'at-least-once'`: a Redis key where this bridge keeps its cursor (`<entry id> <ordinal>`, one SET
   * per read that handed anything on), so that a restarted process resumes after the last entry it handled instead
   * of at the stream's tip: what was added while it was down arrives, and what was trimmed meanwhile is reported.
   * It must be unique to this instance and the same across its restarts (`orders:cursor:worker-3`). Entries handled
   * after the last SET before a crash arrive again (at least once). Absent: the cursor lives in the process only.
   */
  cursorKey?: string;
  /**
   * Redis Cluster only (a `redis+cluster://` URL): events travel by sharded pub/sub (SPUBLISH / SSUBSCRIBE, Redis
   * >= 7) on this many channels, `${namespace}:events:{0}` ... `{N-1}`, each in its own slot, so the shards share
   * the load. Every bridge subscribes to all of them and publishes on one, picked from its instance id (its events
   * stay in order). Every bridge of a namespace must use the same number. 1-1024.
   */
  shardChannels?: number;
  /** Where warnings and errors go (pino-compatible). */
  logger?: BridgeLogger;
  /**
   * Observes every event the self-filter dropped (handlers never see them): this bridge's own events that Redis
   * delivered back, and events of another bridge publishing under this instance id (an identity collision: then
   * `meta.nonce` differs from `identity.nonce`). For measurement and debugging: it runs on the receive path, keep
   * it cheap.
   */
  onSelfEcho?: (type: string, data: unknown, meta: Readonly<EventMeta>) => void;
}

/** Defaults for every optional option. */
export const BRIDGE_DEFAULTS = {
  /** One namespace per application; the channel is `evbridge:events`. */
  namespace: 'evbridge',
  /** 1 MiB. Redis pub/sub is not a blob store: publish references to large data instead. */
  maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
  /** 10 s: long enough for a Redis restart, short enough to fail a bad deployment quickly. */
  connectTimeoutMs: 10_000,
  /** 5 s to flush pending publishes on close. */
  closeTimeoutMs: 5_000,
  /** 1 s: a PING per connection per second costs Redis nothing measurable. */
  healthCheckIntervalMs: 1_000,
  /** 3 s: a stopped Redis or half-open connection is noticed within ~4 s, not after the OS's minutes. */
  healthCheckTimeoutMs: 3_000,
  /** One write per tick: the same as `none` for a lone publish, fewer syscalls when publishes come in bursts. */
  publishPipelining: 'tick',
  /** Two connections, as before `shared` existed; see BridgeOptions.connections. */
  connections: 'separate',
  /** One message per event, as before `coalesce` existed. */
  coalesce: 'off',
  /** 256 events: a batch of a few hundred small events stays far below 1 MiB, and one turn rarely publishes more. */
  coalesceMaxEvents: 256,
  /** Pub/sub, as before `delivery` existed. */
  delivery: 'at-most-once',
  /**
   * 100,000 entries: at 1 KiB each about 100 MiB of Redis memory, and at 10,000 events/s ten seconds of history for a
   * bridge that reconnects or falls behind.
   */
  streamMaxLen: 100_000,
  /** 16 channels: slots spread so that each shard of a 3-master cluster serves 5 or 6 of them. */
  shardChannels: 16,
  /** Silent. */
  logger: silentLogger,
} as const satisfies Partial<BridgeOptions>;

export interface ResolvedBridgeOptions {
  redis: string | RedisOptions;
  redisOptions: RedisOptions;
  namespace: string;
  channel: string;
  instanceId: string | undefined;
  host: string | undefined;
  maxPayloadBytes: number;
  connectTimeoutMs: number;
  closeTimeoutMs: number;
  healthCheckIntervalMs: number;
  healthCheckTimeoutMs: number;
  publishPipelining: PublishPipelining;
  connections: ConnectionsMode;
  coalesce: CoalesceMode;
  coalesceMaxEvents: number;
  delivery: DeliveryMode;
  /** `${namespace}:stream`: the stream of `delivery: 'at-least-once'`. */
  stream: string;
  streamMaxLen: number;
  cursorKey: string | undefined;
  /** A `redis+cluster://` URL's seed nodes and credentials; undefined for one server or a Sentinel group. */
  cluster: Extract<ParsedRedisUrl, { topology: 'cluster' }> | undefined;
  /** The shard channels of the namespace (a Cluster; empty otherwise). */
  shardChannels: readonly string[];
  logger: BridgeLogger;
  onSelfEcho: BridgeOptions['onSelfEcho'];
}

const NAMESPACE_PATTERN = /^[A-Za-z0-9:_.-]{1,200}$/;
const INSTANCE_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
/** Redis's own limit for one bulk string (proto-max-bulk-len). */
const MAX_PAYLOAD_LIMIT = 512 * 1024 * 1024;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** `'a', 'b'`: the allowed words of an option, for its TypeError. */
function quotedList(words: readonly string[]): string {
  return words.map((word) => `'${word}'`).join(', ');
}

/** Timer delays above this overflow Node's 32-bit timers (they would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function validateRedis(redis: unknown): void {
  if (typeof redis === 'string') {
    try {
      parseRedisUrl(redis);
    } catch (error) {
      // The message never quotes the URL: it may contain a password.
      throw new TypeError(`options.redis: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return;
  }
  if (!isPlainObject(redis)) {
    throw new TypeError(
      'options.redis must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL string or an ioredis options object',
    );
  }
}

/** The Cluster a `redis+cluster://` URL names, else undefined (validateRedis ran). */
function clusterOf(redis: string | RedisOptions): ResolvedBridgeOptions['cluster'] {
  if (typeof redis !== 'string') return undefined;
  const parsed = parseRedisUrl(redis);
  return parsed.topology === 'cluster' ? parsed : undefined;
}

/** Validate `options` (throwing `TypeError('options.x must ...')`) and fill in the defaults. */
export function resolveBridgeOptions(options: BridgeOptions): ResolvedBridgeOptions {
  if (!isPlainObject(options)) throw new TypeError('options must be an object with at least options.redis');
  validateRedis(options.redis);
  if (options.redisOptions !== undefined && !isPlainObject(options.redisOptions)) {
    throw new TypeError('options.redisOptions must be an ioredis options object');
  }
  const namespace = options.namespace ?? BRIDGE_DEFAULTS.namespace;
  if (typeof namespace !== 'string' || !NAMESPACE_PATTERN.test(namespace)) {
    throw new TypeError('options.namespace must be a non-empty string of [A-Za-z0-9:_.-] (at most 200 characters)');
  }
  if (
    options.instanceId !== undefined &&
    (typeof options.instanceId !== 'string' || !INSTANCE_ID_PATTERN.test(options.instanceId))
  ) {
    throw new TypeError(
      'options.instanceId must be a non-empty string of printable ASCII without spaces (at most 256 characters)',
    );
  }
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host.length === 0)) {
    throw new TypeError('options.host must be a non-empty string');
  }
  const maxPayloadBytes = options.maxPayloadBytes ?? BRIDGE_DEFAULTS.maxPayloadBytes;
  if (!isPositiveInteger(maxPayloadBytes) || maxPayloadBytes > MAX_PAYLOAD_LIMIT) {
    throw new TypeError(`options.maxPayloadBytes must be a positive integer of at most ${MAX_PAYLOAD_LIMIT}`);
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? BRIDGE_DEFAULTS.connectTimeoutMs;
  if (!isPositiveInteger(connectTimeoutMs)) throw new TypeError('options.connectTimeoutMs must be a positive integer');
  const closeTimeoutMs = options.closeTimeoutMs ?? BRIDGE_DEFAULTS.closeTimeoutMs;
  if (!isPositiveInteger(closeTimeoutMs)) throw new TypeError('options.closeTimeoutMs must be a positive integer');
  const healthCheckIntervalMs = options.healthCheckIntervalMs ?? BRIDGE_DEFAULTS.healthCheckIntervalMs;
  if (
    !(healthCheckIntervalMs === 0 || isPositiveInteger(healthCheckIntervalMs)) ||
    healthCheckIntervalMs > MAX_TIMER_MS
  ) {
    throw new TypeError(
      'options.healthCheckIntervalMs must be a non-negative integer of ms (0 turns health checks off)',
    );
  }
  const healthCheckTimeoutMs = options.healthCheckTimeoutMs ?? BRIDGE_DEFAULTS.healthCheckTimeoutMs;
  if (!isPositiveInteger(healthCheckTimeoutMs) || healthCheckTimeoutMs > MAX_TIMER_MS) {
    throw new TypeError('options.healthCheckTimeoutMs must be a positive integer of ms');
  }
  const publishPipelining = options.publishPipelining ?? BRIDGE_DEFAULTS.publishPipelining;
  if (!PUBLISH_PIPELINING_MODES.includes(publishPipelining)) {
    throw new TypeError(`options.publishPipelining must be one of ${quotedList(PUBLISH_PIPELINING_MODES)}`);
  }
  const connections = options.connections ?? BRIDGE_DEFAULTS.connections;
  if (!CONNECTIONS_MODES.includes(connections)) {
    throw new TypeError(`options.connections must be one of ${quotedList(CONNECTIONS_MODES)}`);
  }
  const coalesce = options.coalesce ?? BRIDGE_DEFAULTS.coalesce;
  if (!COALESCE_MODES.includes(coalesce)) {
    throw new TypeError(`options.coalesce must be one of ${quotedList(COALESCE_MODES)}`);
  }
  const coalesceMaxEvents = options.coalesceMaxEvents ?? BRIDGE_DEFAULTS.coalesceMaxEvents;
  if (!isPositiveInteger(coalesceMaxEvents))
    throw new TypeError('options.coalesceMaxEvents must be a positive integer');
  const delivery = options.delivery ?? BRIDGE_DEFAULTS.delivery;
  if (!DELIVERY_MODES.includes(delivery)) {
    throw new TypeError(`options.delivery must be one of ${quotedList(DELIVERY_MODES)}`);
  }
  if (delivery === 'at-least-once' && connections === 'shared') {
    throw new TypeError(
      "options.delivery 'at-least-once' needs options.connections 'separate': its XREAD BLOCK would hold a shared connection",
    );
  }
  const streamMaxLen = options.streamMaxLen ?? BRIDGE_DEFAULTS.streamMaxLen;
  if (!isPositiveInteger(streamMaxLen)) throw new TypeError('options.streamMaxLen must be a positive integer');
  const cursorKey = options.cursorKey;
  if (cursorKey !== undefined) {
    if (typeof cursorKey !== 'string' || !INSTANCE_ID_PATTERN.test(cursorKey)) {
      throw new TypeError(
        'options.cursorKey must be a non-empty Redis key of printable ASCII without spaces (at most 256 characters)',
      );
    }
    if (delivery !== 'at-least-once') {
      throw new TypeError("options.cursorKey keeps a stream cursor: it needs options.delivery 'at-least-once'");
    }
  }
  const shardChannels = options.shardChannels ?? BRIDGE_DEFAULTS.shardChannels;
  if (!isPositiveInteger(shardChannels) || shardChannels > 1024) {
    throw new TypeError('options.shardChannels must be an integer from 1 to 1024 (the same on every bridge)');
  }
  const cluster = clusterOf(options.redis);
  if (delivery === 'at-least-once' && cluster !== undefined) {
    throw new TypeError(
      "options.delivery 'at-least-once' is not available on a Redis Cluster (redis+cluster://): use one server or a Sentinel group for durable delivery",
    );
  }
  const logger = options.logger ?? BRIDGE_DEFAULTS.logger;
  if (!isPlainObject(logger) || typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
    throw new TypeError('options.logger must have warn(obj, msg) and error(obj, msg) methods (a pino logger fits)');
  }
  if (options.onSelfEcho !== undefined && typeof options.onSelfEcho !== 'function') {
    throw new TypeError('options.onSelfEcho must be a function (type, data, meta) => void');
  }
  return {
    onSelfEcho: options.onSelfEcho,
    redis: options.redis,
    redisOptions: options.redisOptions ?? {},
    namespace,
    channel: channelFor(namespace),
    instanceId: options.instanceId,
    host: options.host,
    maxPayloadBytes,
    connectTimeoutMs,
    closeTimeoutMs,
    healthCheckIntervalMs,
    healthCheckTimeoutMs,
    publishPipelining,
    connections,
    coalesce,
    coalesceMaxEvents,
    delivery,
    stream: streamKeyFor(namespace),
    streamMaxLen,
    cursorKey,
    cluster,
    shardChannels: cluster === undefined ? [] : shardChannelsFor(namespace, shardChannels),
    logger,
  };
}
