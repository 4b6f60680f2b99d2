// Phases handshake, hello (versions and clock domains), and configure: configure -> ready (subscribed), then distinct
// ids and Redis's own count. The clock phase (clock-offset.ts) runs between them, so everything a worker times is
// on the coordinator's clock.
import { PROTOCOL_VERSION, STATS_INTERVAL_MS } from '@evbridge/protocol';
import { redisClientFor } from '../redis/url-client.js';
import { BRIDGE_DEFAULTS, channelFor, deniedPermission, shardChannelsFor, topologyOfUrl } from '@evbridge/bridge';
import { countShardSubscribers } from '../redis/shard-subscribers.js';
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import { WorkerFailure } from '../fleet/worker-handle.js';
import { tlsClientOptions, type RedisTls } from '../redis/tls.js';
import { guard, RunSetupError, type RunContext } from './context.js';
import { collisionMessage, findCollisions } from '../report/identity-collisions.js';

/** How long Redis may take to answer the subscription check. */
const NUMSUB_TIMEOUT_MS = 5000;

/** Every worker's hello: its protocol version checked, what it says recorded. */
export async function greet(context: RunContext): Promise<void> {
  const { fleet, options, records } = context;
  const hellos = await guard(context, fleet.collect('hello', options.readyTimeoutMs));
  hellos.forEach((hello, index) => {
    const worker = fleet.workers[index]!;
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      throw new WorkerFailure(
        index,
        worker.pid,
        `speaks protocol ${hello.protocolVersion}, the coordinator ${PROTOCOL_VERSION}: rebuild with \`pnpm build\``,
      );
    }
    records[index]!.hello = hello;
    // A worker in a PID namespace is known to the host by another pid than the launcher's, learnt by now.
    records[index]!.pid = worker.pid;
  });
}

/** `redisTls`: the CA of a rediss:// Redis, sent to every worker with the URL (over IPC only). */
export async function configureWorkers(context: RunContext, redisUrl: string, redisTls?: RedisTls): Promise<void> {
  const { fleet, options, records } = context;
  await guard(
    context,
    fleet.broadcast((worker) => ({
      type: 'configure',
      index: worker.index,
      redisUrl,
      ...(redisTls === undefined ? {} : { redisTls }),
      namespace: context.namespace,
      driver: context.driver.spec,
      pacer: options.pacer ?? HARNESS_DEFAULTS.pacer,
      ...(options.identity === 'pid' ? { identity: 'pid' as const } : {}),
      ...(options.delivery === 'at-least-once' ? { delivery: 'at-least-once' as const } : {}),
      rateEventsPerSec: options.rateEventsPerSec / options.procs,
      payloadBytes: options.payloadBytes,
      statsIntervalMs: STATS_INTERVAL_MS,
    })),
  );
  const readies = await guard(context, fleet.collect('ready', options.readyTimeoutMs));
  readies.forEach((ready, index) => {
    const record = records[index]!;
    record.instanceId = ready.instanceId;
    record.host = ready.host;
    record.connections = ready.connections;
  });
  assertDistinctIds(context);
  // A durable run reads a stream: no channel for Redis to count; the probe round proves every instance hears every other.
  if (context.driver.builtin && CHANNEL_DRIVERS.has(context.driver.spec) && options.delivery !== 'at-least-once')
    await assertSubscribed(context, redisUrl, redisTls);
}

/**
 * The built-in drivers that subscribe each instance to the run's one channel (channelFor(namespace)), which Redis
 * can count; for any other driver the probe round that follows proves that every instance hears every other.
 */
const CHANNEL_DRIVERS: ReadonlySet<string> = new Set(['evbridge', 'raw', 'node-redis']);

/**
 * Two instances with one id drop each other's events as their own echoes: stop before measuring (exit 2) with why and
 * the fix, unless --allow-collisions asks to see the consequence.
 */
function assertDistinctIds(context: RunContext): void {
  const collisions = findCollisions(context.records);
  if (collisions.length === 0) return;
  const message = collisionMessage(collisions, context.options);
  if (context.options.allowCollisions !== true) throw new RunSetupError(message);
  context.logger.warn(`${message}: running anyway (--allow-collisions)`);
}

/**
 * Redis's own word that every instance is subscribed before anything is measured. A Redis user that may not run
 * PUBSUB NUMSUB (least privilege) skips the check with a warning: the probe round that follows still proves that
 * every instance hears every other.
 */
async function assertSubscribed(context: RunContext, redisUrl: string, redisTls: RedisTls | undefined): Promise<void> {
  if (topologyOfUrl(redisUrl) === 'cluster') return assertShardSubscribed(context, redisUrl, redisTls);
  const client = redisClientFor(redisUrl, {
    ...tlsClientOptions(redisTls),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: NUMSUB_TIMEOUT_MS,
    commandTimeout: NUMSUB_TIMEOUT_MS,
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const channel = channelFor(context.namespace);
    let reply: [string, number];
    try {
      reply = (await client.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    } catch (error) {
      if (deniedPermission(error) === undefined) throw error;
      context.logger.warn(
        'the Redis user may not run PUBSUB NUMSUB: subscriptions are proven by the probe round alone (grant +pubsub|numsub to have Redis count them too)',
      );
      return;
    }
    const subscribers = Number(reply[1]);
    if (subscribers !== context.fleet.size) {
      throw new RunSetupError(
        `Redis counts ${subscribers} subscribers on ${channel} after every worker said ready, expected ${context.fleet.size}`,
      );
    }
  } finally {
    client.disconnect();
  }
}

/**
 * A Cluster's count: every worker's bridge subscribes to every shard channel of the namespace on its master, so
 * SHARDNUMSUB of each must be the fleet's size (the driver uses the bridge's default number of shard channels).
 */
async function assertShardSubscribed(
  context: RunContext,
  redisUrl: string,
  redisTls: RedisTls | undefined,
): Promise<void> {
  const channels = shardChannelsFor(context.namespace, BRIDGE_DEFAULTS.shardChannels);
  let counts: Map<string, number>;
  try {
    counts = await countShardSubscribers(redisUrl, channels, {
      ...tlsClientOptions(redisTls),
      timeoutMs: NUMSUB_TIMEOUT_MS,
    });
  } catch (error) {
    if (deniedPermission(error) === undefined) throw error;
    context.logger.warn(
      'the Redis user may not run PUBSUB SHARDNUMSUB: subscriptions are proven by the probe round alone (grant +pubsub|shardnumsub to have Redis count them too)',
    );
    return;
  }
  const short = [...counts].filter(([, count]) => count !== context.fleet.size);
  if (short.length > 0) {
    const [channel, count] = short[0] ?? ['?', 0];
    throw new RunSetupError(
      `Redis counts ${count} subscribers on ${channel} (and ${short.length - 1} more shard channels short) after every worker said ready, expected ${context.fleet.size}`,
    );
  }
}
