// Which Redis a run uses: the one the user named, or a private redis-server (or Sentinel group, --topology) started
// for this run only.
import type { RedisOptions } from 'ioredis';
import { redisClientFor } from '../redis/url-client.js';
import type { Logger } from 'pino';
import type { RestartableRedis } from '../faults/fault-injection.js';
import type { RedisInfo } from '../model/report.js';
import { startPrivateCluster } from '../redis/private-cluster.js';
import { RedisServerNotFoundError, startPrivateRedis } from '../redis/private-server.js';
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import { startPrivateSentinel } from '../redis/private-sentinel.js';
import { readRedisTls, tlsClientOptions, type RedisTls } from '../redis/tls.js';
import type { TopologyKind, PrivateTopology } from '../redis/topology.js';
import {
  deniedPermission,
  describeRedisUrl,
  parseRedisUrl,
  redactRedisUrl,
  redactSecrets,
  redisUrlSecrets,
  topologyOfUrl,
} from '@evbridge/bridge';

export interface RedisTarget {
  /** Full URL with credentials: only ever sent to workers over IPC. */
  url: string;
  /** TLS material for a rediss:// Redis (--redis-ca): sent to workers in `configure`; undefined = Node's CAs. */
  tls?: RedisTls;
  /** ioredis options every coordinator-side connection adds to `url` (the TLS CA); {} when none. */
  clientOptions: RedisOptions;
  info: RedisInfo;
  /** Secrets to scrub from anything printed. */
  secrets: string[];
  /** Stops the private server (no-op for a user's Redis). */
  stop(): Promise<void>;
  /** The private server, which --fault restart-redis stops and starts again; absent for a user's Redis. */
  restartable?: RestartableRedis;
  /** The private Sentinel group or Cluster (--topology), which kill-master and failover hit; absent otherwise. */
  topology?: PrivateTopology;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/** The version shown when the Redis user may not run INFO. */
export const UNKNOWN_REDIS_VERSION = 'unknown';

/**
 * Asks a Redis for its version (UNKNOWN_REDIS_VERSION when the user may not run INFO); rejects with a one-line
 * error naming the fix, within about `timeoutMs` even when the server accepts the connection and never answers.
 */
export async function redisVersion(url: string, timeoutMs = 5000, clientOptions: RedisOptions = {}): Promise<string> {
  const client = redisClientFor(url, {
    ...clientOptions,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    // INFO is asked below; the ready check would ask it once more (and print a warning when INFO is denied).
    enableReadyCheck: false,
  });
  // ioredis rejects connect() with "Connection is closed."; the 'error' event carries the real cause.
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  try {
    await client.connect();
    const info = await client.info('server').catch((error: unknown) => {
      if (deniedPermission(error) !== undefined) return '';
      throw error;
    });
    return /redis_version:(\S+)/.exec(info)?.[1] ?? UNKNOWN_REDIS_VERSION;
  } catch (error) {
    const cause = lastError ?? error;
    const reason = redactSecrets(cause instanceof Error ? cause.message : String(cause), urlSecrets(url));
    throw new RedisUnavailableError(
      `cannot use Redis at ${redactRedisUrl(url)}: ${reason}; check --redis/REDIS_URL (host, port, password)`,
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}

/** How the Redis of a run is found or started. */
export interface ProvideRedisOptions {
  /** A PEM CA for a rediss:// `url` (--redis-ca); the private servers never use TLS. */
  caFile?: string | undefined;
  /** Where the private server listens (--redis-bind). */
  bind?: string | undefined;
  /** With no `url`, what to start (a Sentinel group, a Cluster; absent: one redis-server); with a `url`, what it names. */
  topology?: TopologyKind | undefined;
  /** The private standalone server keeps its data in an append-only file (--delivery=at-least-once). */
  appendOnly?: boolean;
}

export async function provideRedis(
  url: string | undefined,
  logger: Logger,
  { caFile, bind, topology, appendOnly = false }: ProvideRedisOptions = {},
): Promise<RedisTarget> {
  if (url !== undefined) {
    const tls = await readRedisTls(caFile);
    const clientOptions = tlsClientOptions(tls);
    const version = await redisVersion(url, 5000, clientOptions);
    if (version === UNKNOWN_REDIS_VERSION) {
      logger.warn(
        'the Redis user may not run INFO: the report shows the Redis version as unknown (grant +info to see it)',
      );
    }
    return {
      url,
      ...(tls === undefined ? {} : { tls }),
      clientOptions,
      info: { version, url: describeUrl(url), private: false, ...topologyOf(url) },
      secrets: urlSecrets(url),
      stop: async () => undefined,
    };
  }
  switch (topology ?? 'standalone') {
    case 'standalone':
      return startStandalone(logger, bind, appendOnly);
    case 'sentinel':
      return startSentinel(logger, bind);
    case 'cluster':
      return startCluster(logger, bind);
  }
}

/** The run's own Redis Cluster: three shard masters with a replica each. */
async function startCluster(logger: Logger, bind: string | undefined): Promise<RedisTarget> {
  if (bind !== undefined && bind !== HARNESS_DEFAULTS.redisBind) {
    throw new RedisUnavailableError(
      `--topology=cluster starts its nodes on 127.0.0.1 only (the cluster announces that address), not on --redis-bind ${bind}: drop --redis-bind, or point at a cluster with --redis redis+cluster://...`,
    );
  }
  return privateTopologyTarget('a private Redis Cluster', 'redis+cluster', () => startPrivateCluster({ logger }));
}

/** The run's own Sentinel group: a master, a replica and three sentinels. */
function startSentinel(logger: Logger, bind: string | undefined): Promise<RedisTarget> {
  return privateTopologyTarget('a private Sentinel group', 'redis+sentinel', () =>
    startPrivateSentinel({ logger, ...(bind === undefined ? {} : { host: bind }) }),
  );
}

/** Starts a private topology; a failure says what could not start and how to use an existing one instead. */
async function privateTopologyTarget(
  what: string,
  scheme: string,
  start: () => Promise<PrivateTopology>,
): Promise<RedisTarget> {
  let topology: PrivateTopology;
  try {
    topology = await start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisUnavailableError(
      `could not start ${what} (${reason}); or point at one with --redis ${scheme}://...`,
      {
        cause: error,
      },
    );
  }
  return {
    url: topology.url,
    clientOptions: {},
    info: { version: topology.version, url: describeUrl(topology.url), private: true, topology: topology.kind },
    secrets: [topology.password],
    stop: () => topology.stop(),
    topology,
  };
}

/** The run's own redis-server. */
async function startStandalone(logger: Logger, bind: string | undefined, appendOnly: boolean): Promise<RedisTarget> {
  let server: Awaited<ReturnType<typeof startPrivateRedis>>;
  try {
    server = await startPrivateRedis({
      logger,
      ...(bind === undefined ? {} : { host: bind }),
      ...(appendOnly ? { appendOnly } : {}),
    });
  } catch (error) {
    if (error instanceof RedisServerNotFoundError) {
      throw new RedisUnavailableError(
        'no Redis to run against: redis-server is not on PATH; install it (apt-get install redis-server, brew install redis) or point at a Redis with --redis URL or REDIS_URL',
        { cause: error },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisUnavailableError(
      `could not start a private redis-server (${reason}); or point at a Redis with --redis URL or REDIS_URL`,
      { cause: error },
    );
  }
  return {
    url: server.url,
    clientOptions: {},
    info: { version: server.version, url: redactRedisUrl(server.url), private: true },
    secrets: [server.password],
    stop: () => server.stop(),
    restartable: server,
  };
}

/** A URL for the report, without credentials. */
function describeUrl(url: string): string {
  const kind = topologyOfUrl(url);
  return kind === undefined || kind === 'standalone' ? redactRedisUrl(url) : describeRedisUrl(parseRedisUrl(url));
}

/** `{ topology }` for a redis+sentinel:// or redis+cluster:// URL, else {}. */
function topologyOf(url: string): Pick<RedisInfo, 'topology'> {
  const kind = topologyOfUrl(url);
  return kind === 'sentinel' || kind === 'cluster' ? { topology: kind } : {};
}

/** The URL's password as written (percent-encoded) and decoded: either spelling must be scrubbed. */
export function urlSecrets(url: string): string[] {
  const kind = topologyOfUrl(url);
  if (kind === 'sentinel' || kind === 'cluster') return redisUrlSecrets(url);
  let written: string;
  try {
    written = new URL(url).password;
  } catch {
    return [];
  }
  if (written === '') return [];
  let decoded = written;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    // a stray "%": the written form is all there is
  }
  // Longest first, so neither spelling is left half-masked by the other.
  return [...new Set([decoded, written])].sort((a, b) => b.length - a.length);
}
