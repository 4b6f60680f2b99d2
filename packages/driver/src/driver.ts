// The driver API, version 1: what a Redis event bridge implements so the evbridge harness can measure it.

/** The version of this API. A module that names another `apiVersion` is refused when loaded. */
export const DRIVER_API_VERSION = 1;

/**
 * A driver's lifecycle state, reported through `sink.onState`. These five are the ones the harness knows by name; a
 * driver may report others. Any state but `ready` counts as time away from ready (outages, fault recovery).
 */
export type DriverState = 'connecting' | 'ready' | 'reconnecting' | 'closing' | 'closed' | (string & {});

/** Where a driver hands what it receives. The harness provides it; every call is on the receive path. */
export interface DriverSink {
  /**
   * An event from another instance: its `type`, its `data` (as published), the `source` instance id and the `seq`
   * the sender's driver gave it. Call it only for events that passed the driver's self-filter; the harness checks
   * `source` against this instance's id and counts any own event that arrives here as a self-receive failure.
   */
  onEvent(type: string, data: unknown, source: string, seq: number): void;
  /** One of this instance's own events came back from Redis and the self-filter dropped it. Call it if you can see it. */
  onSelfEcho(type: string, data: unknown): void;
  /** The driver changed state (see DriverState). */
  onState(state: DriverState, previous: DriverState): void;
}

/** pino's shape, which the harness passes; a driver logs through it, never with console. */
export interface DriverLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** What `create` gets: where Redis is, the run's namespace, the sink, a logger. */
export interface DriverContext {
  /** `redis://` or `rediss://`; may hold a password: never log it or put it in an error message. */
  redisUrl: string;
  /** The CA (PEM) of a `rediss://` Redis whose certificate is not signed by one of Node's CAs. */
  redisTls: { caPem: string } | undefined;
  /** Unique to the run and shared by all its instances: put every channel, stream and key under it. */
  namespace: string;
  /**
   * An instance id the harness asks for (`--identity=pid` passes `String(process.pid)` to show what a pid-keyed
   * self-filter does). Only drivers whose `capabilities.instanceIdOverride` is true get one; others see undefined.
   */
  instanceId: string | undefined;
  /**
   * `at-most-once` (pub/sub, what every driver does) or `at-least-once` (--delivery: a durable mode that resumes
   * after a disconnect). Only drivers whose `capabilities.atLeastOnce` is true are given `at-least-once`; absent
   * means `at-most-once`.
   */
  delivery?: 'at-most-once' | 'at-least-once';
  sink: DriverSink;
  logger: DriverLogger;
}

/**
 * What a driver counts. `published` and `publishFailed` are required; the others are reported when the driver can see
 * them and left out when it cannot (the report then says "not reported", never 0).
 */
export interface DriverCounters {
  /** Publishes Redis acknowledged. */
  published: number;
  /** Publishes that rejected after the driver took a sequence number for them. */
  publishFailed: number;
  /** Messages read from Redis, own echoes included. */
  received?: number;
  /** Own events that came back and were dropped by the self-filter. */
  selfEchoesFiltered?: number;
  /** Messages read from Redis that could not be decoded. */
  malformed?: number;
  /**
   * At-least-once drivers: events (stream entries) the driver itself found lost before it could read them (trimmed
   * from a stream). Reported beside the harness's own loss count, never used to compute it.
   */
  streamLostEntries?: number;
  /** Errors thrown by the application's handlers (a library driver that runs handlers). */
  handlerErrors?: number;
  /** Times another instance was seen publishing under this instance's id. */
  identityCollisions?: number;
}

/** A Redis connection a driver holds, by the name it gave it with CLIENT SETNAME. */
export interface DriverConnection {
  /** `shared`: one connection that both publishes and receives (RESP3 pushes). */
  role: 'publisher' | 'subscriber' | 'shared';
  name: string;
}

/** One instance of the system under test: one per worker process. */
export interface Driver {
  /**
   * This instance's id, by the driver's own identity scheme: the `source` its events carry. Non-empty once connect()
   * resolved; it may be '' before (a library that makes its id when connecting).
   */
  readonly instanceId: string;
  /** The host name it reports (os.hostname() unless it has its own notion). */
  readonly host: string;
  /**
   * The sequence number the next publish will take: 0 first, then one more for every publish that was sent or may
   * have been. A publish refused before sending (not connected) takes none.
   */
  readonly nextSeq: number;
  /** Connects and subscribes: resolves only once Redis acknowledged the subscription (events published after it arrive). */
  connect(): Promise<void>;
  /** Publishes one event; resolves with Redis's receiver count (PUBLISH's reply) when the system exposes it, else undefined. */
  publish(type: string, data: unknown): Promise<number | undefined>;
  counters(): DriverCounters;
  /** The names of its Redis connections (required when `capabilities.namedConnections`). */
  connections?(): DriverConnection[];
  /** Closes every connection, timer and listener it made; works in any state, also before connect(), and twice. */
  close(): Promise<void>;
}

/** What a driver can do; the harness refuses up front a fault or check that needs what a driver lacks. */
export interface DriverCapabilities {
  /** `publish` resolves with Redis's receiver count. */
  receiverCount: boolean;
  /** The driver sees its own events come back and reports them through `sink.onSelfEcho` (a library may drop them unseen). */
  ownEchoes: boolean;
  /** `connections()` names every Redis connection (needed by the kill-publishers and slow-consumer faults). */
  namedConnections: boolean;
  /** The driver takes `context.instanceId` as its id when given (needed by `--identity=pid`). */
  instanceIdOverride: boolean;
  /** The driver does `context.delivery: 'at-least-once'` (needed by `--delivery=at-least-once`); absent = false. */
  atLeastOnce?: boolean;
  /**
   * The driver reads a `redis+sentinel://host:port,host:port/masterName` URL and follows the master its sentinels
   * name (needed by `--topology=sentinel` and a redis+sentinel:// `--redis`).
   */
  sentinel: boolean;
  /**
   * The driver reads a `redis+cluster://host:port,host:port` URL and exchanges events through the Cluster (the
   * evbridge drivers: sharded pub/sub; needed by `--topology=cluster` and a redis+cluster:// `--redis`).
   */
  cluster: boolean;
}

/** A driver module's definition: `export default defineDriver({...})`. */
export interface DriverDefinition {
  apiVersion: typeof DRIVER_API_VERSION;
  /** Short, lower-case: `socketio`, `my-bridge`. */
  name: string;
  /** One line: what system this drives, and how. */
  description: string;
  /** How its instances name themselves (shown in the report), e.g. "socket.io adapter uid: 6 random characters per server". */
  identityScheme: string;
  capabilities: DriverCapabilities;
  /** Makes one instance. Must not connect or start timers: connect() does. */
  create(context: DriverContext): Driver;
}
