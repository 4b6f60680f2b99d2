// Supervision of a Cluster bridge: connect and SSUBSCRIBE every shard channel, outages while any is unsubscribed, close.

import type { Cluster, Redis } from 'ioredis';
import type { ChannelTransport } from './channel-transport.js';
import { acknowledgedChannels, channelMasters, createClusterClient, endCluster } from './cluster-client.js';
import { BridgeClosedError, BridgeConnectError } from './errors.js';
import { shouldLogOccurrence } from './logger.js';
import { OutageTracker } from './outage-tracker.js';
import { deniedPermission, describeDenied } from './permission.js';
import { redactSecrets, sanitizeError } from './redact.js';
import { describeRedisUrl } from './redis-url.js';
import { ShardedPubSubTransport } from './sharded-transport.js';
import type { SupervisorDeps } from './supervisor.js';
import { ConnectGate, type Supervision } from './supervision.js';

const noop = (): void => {};

/** While an outage lasts, how often the subscriptions are looked at again (ioredis resubscribes without an event). */
const RECHECK_MS = 50;
/**
 * While an outage lasts, how often the bridge asks ioredis to read the slots again. ioredis learns a new slot owner
 * from a MOVED reply to one command, and moves its subscribers only when it re-reads the whole map (it has no
 * periodic refresh by default), so after a failover the subscribers could stay on the demoted master.
 */
const REFRESH_SLOTS_MS = 250;

const AUTH_FAILURE = /WRONGPASS|NOAUTH|invalid password|invalid username-password/;

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // ClusterAllFailedError ("Failed to refresh slots cache.") carries the node's own reply.
  const last = (error as { lastNodeError?: unknown }).lastNodeError;
  return last instanceof Error ? `${error.message} ${last.message}` : error.message;
}

/** A sharded subscriber's connection (ioredis names it `ioredis-cluster(ssubscriber):<our name>`). */
function isShardSubscriber(redis: Redis | undefined): boolean {
  return redis?.options.connectionName?.startsWith('ioredis-cluster(ssubscriber)') === true;
}

/**
 * One ioredis Cluster does both roles: it publishes over its node pool and receives through its sharded
 * subscribers, which it replaces and resubscribes itself after a failover or a slot move. The bridge does not
 * reconnect anything here; it watches: the bridge is `ready` while every shard channel is subscribed on the master
 * of its slot (ioredis's own record of Redis's SSUBSCRIBE replies), and `reconnecting` from the moment a shard
 * subscriber is lost or replaced until every channel is subscribed again.
 */
export class ClusterSupervisor implements Supervision {
  readonly #deps: SupervisorDeps;
  readonly #outages: OutageTracker;
  #cluster: Cluster | undefined;
  #transport: ShardedPubSubTransport | undefined;
  readonly #gate = new ConnectGate();
  #abortConnect: AbortController | undefined;
  #recheck: NodeJS.Timeout | undefined;
  #lastRefreshMs = 0;
  #connectionErrors = 0;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
    this.#outages = new OutageTracker(deps.lifecycle, deps.counters);
  }

  get readyTransport(): ChannelTransport | undefined {
    return this.#deps.lifecycle.state === 'ready' ? this.#transport : undefined;
  }

  connect(): Promise<void> {
    return this.#gate.connect(this.#deps.lifecycle.state, () => this.#connectOnce());
  }

  close(): Promise<void> {
    return this.#gate.close(() => this.#closeOnce());
  }

  get #target(): string {
    const { cluster } = this.#deps.options;
    return cluster === undefined ? 'a Redis Cluster' : describeRedisUrl(cluster);
  }

  async #connectOnce(): Promise<void> {
    const { options, instanceId, lifecycle } = this.#deps;
    lifecycle.set('connecting');
    const abort = new AbortController();
    this.#abortConnect = abort;
    let cluster: Cluster | undefined;
    try {
      cluster = createClusterClient(options, instanceId);
      const transport = new ShardedPubSubTransport(cluster, options.shardChannels, instanceId, this.#deps.receive);
      this.#cluster = cluster;
      this.#transport = transport;
      this.#watch(cluster);
      await this.#connectWithin(cluster, transport, abort.signal);
    } catch (error) {
      this.#cluster = undefined;
      this.#transport = undefined;
      if (cluster !== undefined) await endCluster(cluster, 1_000);
      if (lifecycle.state === 'connecting') lifecycle.set('idle');
      throw error;
    } finally {
      this.#abortConnect = undefined;
    }
    if (lifecycle.state !== 'connecting') {
      throw new BridgeClosedError('EventBridge was closed while connect() was running');
    }
    // From now on a command sent while the cluster is down rejects at once instead of waiting in its offline queue.
    cluster.options.enableOfflineQueue = false;
    this.#outages.recover(channelMasters(cluster, options.shardChannels));
    this.#check();
  }

  /** Connect, SSUBSCRIBE every channel and PING, within connectTimeoutMs; a refused password fails at once. */
  async #connectWithin(cluster: Cluster, transport: ShardedPubSubTransport, signal: AbortSignal): Promise<void> {
    const { connectTimeoutMs, shardChannels } = this.#deps.options;
    const secrets = this.#deps.secrets;
    let lastError: unknown;
    let timer: NodeJS.Timeout | undefined;
    let onAbort = noop;
    let onError = noop as (error: unknown) => void;
    const failure = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('deadline')), connectTimeoutMs);
      onAbort = () => reject(new BridgeClosedError('EventBridge was closed while connect() was running'));
      onError = (error: unknown) => {
        lastError = error;
        if (AUTH_FAILURE.test(messageOf(error))) reject(error);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    cluster.on('error', onError);
    const ready = cluster.connect().then(() => Promise.all([transport.subscribe(), cluster.ping()]));
    ready.catch(noop);
    try {
      await Promise.race([ready, failure]);
    } catch (error) {
      if (error instanceof BridgeClosedError) throw error;
      const timedOut = error instanceof Error && error.message === 'deadline';
      const cause = timedOut ? lastError : error;
      const reason = cause === undefined ? 'no answer' : redactSecrets(messageOf(cause), secrets);
      const denied = deniedPermission(reason);
      let hint = 'Check that every seed node is running and reachable, and that it runs in cluster mode.';
      if (AUTH_FAILURE.test(reason)) hint = 'Check the username and password in options.redis.';
      if (denied !== undefined) hint = describeDenied(denied, 'SSUBSCRIBE', shardChannels[0] ?? '');
      throw new BridgeConnectError(
        `EventBridge could not connect to the Redis Cluster at ${this.#target} and SSUBSCRIBE its ${shardChannels.length} shard channels${timedOut ? ` within ${connectTimeoutMs} ms` : ''} (${reason}). ${hint}${timedOut ? ' Or raise options.connectTimeoutMs.' : ''}`,
        cause === undefined ? undefined : { cause: sanitizeError(cause, secrets) },
      );
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      cluster.removeListener('error', onError);
    }
  }

  /** Follow the cluster: log its errors; every change of its subscribers or nodes makes the bridge look again. */
  #watch(cluster: Cluster): void {
    const current = (): boolean => this.#cluster === cluster;
    const { logger } = this.#deps.options;
    cluster.on('error', (error: unknown) => {
      this.#connectionErrors++;
      if (current() && shouldLogOccurrence(this.#connectionErrors)) {
        logger.warn({ err: sanitizeError(error, this.#deps.secrets) }, 'EventBridge Redis Cluster error');
      }
    });
    // A shard subscriber ended (its master died, or Redis closed it): those channels receive nothing until
    // ioredis has a subscriber on the shard's (new) master again.
    cluster.on('-node', (redis: Redis | undefined) => {
      if (current() && isShardSubscriber(redis)) this.#lost('subscriber');
    });
    // ioredis replaced a subscriber (a slot moved, a planned failover): its channels are resubscribed elsewhere.
    cluster.on('-subscriber', () => {
      if (current()) this.#lost('subscriber');
    });
    // New slot owners (a failover, a slot move): a channel whose new master has no subscriber of ours yet is down.
    cluster.on('refresh', () => {
      if (current()) this.#check();
    });
    cluster.on('subscribersReady', () => {
      if (current()) this.#check();
    });
    cluster.on('close', () => {
      if (current()) this.#lost('publisher');
    });
    cluster.on('ready', () => {
      if (current()) this.#check();
    });
    cluster.on('end', () => {
      const state = this.#deps.lifecycle.state;
      if (!current() || (state !== 'ready' && state !== 'reconnecting')) return;
      logger.error(
        {},
        'EventBridge Redis Cluster connection ended for good (clusterRetryStrategy gave up); closing the bridge',
      );
      void this.close();
    });
  }

  #lost(role: 'publisher' | 'subscriber'): void {
    const state = this.#deps.lifecycle.state;
    if (state !== 'ready' && state !== 'reconnecting') return;
    this.#outages.lost('connection-lost', role === 'publisher' ? ['publisher', 'subscriber'] : ['subscriber']);
    this.#check();
  }

  /**
   * `ready` when the cluster is up and every shard channel is acknowledged on its master; otherwise (in an outage)
   * look again in RECHECK_MS: ioredis resubscribes without an event for the acknowledgement.
   */
  #check(): void {
    const cluster = this.#cluster;
    clearTimeout(this.#recheck);
    this.#recheck = undefined;
    if (cluster === undefined) return;
    const state = this.#deps.lifecycle.state;
    if (state !== 'ready' && state !== 'reconnecting') return;
    const channels = this.#deps.options.shardChannels;
    const whole = cluster.status === 'ready' && acknowledgedChannels(cluster, channels).length === channels.length;
    // The 'recovered' event's server: the shard masters the bridge receives from (serverChanged after a failover).
    if (whole && state === 'reconnecting') this.#outages.recover(channelMasters(cluster, channels));
    if (!whole && state === 'ready') this.#outages.lost('connection-lost', ['subscriber']);
    if (!whole && cluster.status === 'ready' && performance.now() - this.#lastRefreshMs >= REFRESH_SLOTS_MS) {
      this.#lastRefreshMs = performance.now();
      cluster.refreshSlotsCache();
    }
    if (!whole) {
      this.#recheck = setTimeout(() => this.#check(), RECHECK_MS);
      this.#recheck.unref();
    }
  }

  async #closeOnce(): Promise<void> {
    const { lifecycle, options } = this.#deps;
    const deadline = Date.now() + options.closeTimeoutMs;
    clearTimeout(this.#recheck);
    this.#outages.clear();
    lifecycle.set('closing');
    this.#abortConnect?.abort();
    await this.#gate.settled();
    clearTimeout(this.#recheck);
    await this.#deps.drain(deadline - Date.now());
    const cluster = this.#cluster;
    if (cluster !== undefined) {
      await this.#transport?.close(Math.max(deadline - Date.now(), 100));
      await endCluster(cluster, Math.max(deadline - Date.now(), 500));
    }
    lifecycle.set('closed');
  }
}
