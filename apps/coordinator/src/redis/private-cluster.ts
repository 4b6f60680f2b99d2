// A private Redis Cluster for one run or test suite: 3 masters with one replica each on loopback, one random password.

import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { redactSecrets } from '@evbridge/bridge';
import { type ClusterNode, startClusterNode } from './cluster-node.js';
import { type ClusterNodeLine, parseClusterNodes, shardsByPort } from './cluster-nodes.js';
import { CLUSTER_DEFAULTS } from '../config/defaults.js';
import { locateBinary } from './locate-binary.js';
import { RedisServerNotFoundError, type PrivateRedisLogger } from './private-server.js';
import type { PrivateTopology, TopologyFaultOutcome, TopologyServer } from './topology.js';

export interface StartPrivateClusterOptions {
  /** The redis-server binary; redis-cli is looked up beside it, then on PATH. Default 'redis-server'. */
  redisServerPath?: string;
  logger?: PrivateRedisLogger;
  /**
   * cluster-node-timeout: a master unreachable this long is failed over to its replica. Default 1000 ms (Redis's
   * own default is 15 s): a SIGKILLed master's replica takes over in about 1-2 s on loopback.
   */
  nodeTimeoutMs?: number;
  /** How long forming the cluster may take. Default 20000. */
  readyTimeoutMs?: number;
}

/** A private Cluster: the PrivateTopology the run and its faults see, with killNode always there. */
export interface PrivateCluster extends PrivateTopology {
  kind: 'cluster';
  /** cluster-node-timeout of every node. */
  nodeTimeoutMs: number;
  /** Shards are numbered 0, 1, 2 by slot order; a failed master that no longer serves slots has none. */
  servers(): TopologyServer[];
  /** SIGKILL a shard master; resolves once its replica is master and every live node says the cluster is ok. */
  killMaster(signal: AbortSignal): Promise<TopologyFaultOutcome>;
  /** The same as killMaster: a Cluster's node fault is a shard master's death (a replica's would change nothing). */
  killNode(signal: AbortSignal): Promise<TopologyFaultOutcome>;
  /** CLUSTER FAILOVER on a replica (planned); resolves once it is master and its old master its linked replica. */
  failover(signal: AbortSignal): Promise<TopologyFaultOutcome>;
}

const HOST = '127.0.0.1';
const NODES = 6;
const POLL_MS = 50;
/** How long a fault may wait for the cluster to heal: detection (node timeout) plus election, generously. */
const HEAL_TIMEOUT_MS = 15_000;

/** Start 6 nodes, form the cluster with redis-cli (password in REDISCLI_AUTH, never argv), wait until it is whole. */
export async function startPrivateCluster(options: StartPrivateClusterOptions = {}): Promise<PrivateCluster> {
  const command = options.redisServerPath ?? 'redis-server';
  const binary = await locateBinary(command);
  if (binary === undefined) {
    throw new RedisServerNotFoundError(
      `redis-server was not found (looked for '${command}'): install redis-server (e.g. apt-get install redis-server) or use an existing cluster with --redis redis+cluster://...`,
    );
  }
  const cli = (await locateBinary(binary.replace(/redis-server$/, 'redis-cli'))) ?? (await locateBinary('redis-cli'));
  if (cli === undefined) {
    throw new RedisServerNotFoundError('redis-cli was not found: it forms the cluster; install it with redis-server');
  }
  const password = randomBytes(24).toString('hex');
  const nodeTimeoutMs = options.nodeTimeoutMs ?? CLUSTER_DEFAULTS.nodeTimeoutMs;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const nodes: ClusterNode[] = [];
  let lines: ClusterNodeLine[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= Promise.allSettled(nodes.map((node) => node.stop())).then(() => undefined);
    return stopping;
  };
  const alive = (): ClusterNode[] => nodes.filter((node) => !node.exited);
  const nodeAt = (port: number): ClusterNode | undefined => nodes.find((node) => node.port === port);
  const readNodes = async (node: ClusterNode): Promise<ClusterNodeLine[]> =>
    parseClusterNodes(String(await node.query('CLUSTER', 'NODES')));

  /** Poll until `check` holds (a failed query counts as not yet), or fail naming `what`. */
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number, signal?: AbortSignal) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      if (await check().catch(() => false)) return;
      if (performance.now() > deadline)
        throw new Error(`the private cluster: timed out after ${timeoutMs} ms waiting for ${what}`);
      await delay(POLL_MS, undefined, { signal });
    }
  };
  const everyLiveNode = async (check: (node: ClusterNode) => Promise<boolean>): Promise<boolean> =>
    (await Promise.all(alive().map(check))).every(Boolean);
  const clusterOk = (node: ClusterNode): Promise<boolean> =>
    node.query('CLUSTER', 'INFO').then((info) => /cluster_state:ok/.test(String(info)));
  const refresh = async (): Promise<void> => {
    for (const node of alive()) {
      try {
        lines = await readNodes(node);
        return;
      } catch {
        // the next live node answers
      }
    }
  };

  try {
    for (let index = 0; index < NODES; index++) {
      nodes.push(await startClusterNode({ binary, host: HOST, password, nodeTimeoutMs }));
    }
    let version = 'unknown';
    await until(
      'every node to answer an authenticated PING',
      async () => {
        const info = await Promise.all(nodes.map((node) => node.query('INFO', 'server')));
        version = /^redis_version:(\S+)/m.exec(String(info[0]))?.[1] ?? 'unknown';
        return true;
      },
      5_000,
    );
    const created = await execa(
      cli,
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `${HOST}:${node.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { env: { REDISCLI_AUTH: password }, reject: false, timeout: readyTimeoutMs, all: true },
    );
    if (created.exitCode !== 0) {
      const said = redactSecrets(
        String(created.all ?? '')
          .split('\n')
          .slice(-3)
          .join(' | '),
        [password],
      );
      throw new Error(`redis-cli --cluster create failed (exit ${created.exitCode}): ${said}`);
    }
    await until(
      'every node to say cluster_state:ok and every replica to link up',
      () =>
        everyLiveNode(async (node) => {
          if (!(await clusterOk(node))) return false;
          const replication = String(await node.query('INFO', 'replication'));
          return /role:master/.test(replication) || /master_link_status:up/.test(replication);
        }),
      readyTimeoutMs,
    );
    await refresh();
    options.logger?.info(
      { ports: nodes.map((node) => node.port), redisPids: nodes.map((node) => node.pid), nodeTimeoutMs, version },
      'private redis cluster started (3 masters, 1 replica each)',
    );

    /** The replica of the shard master on `port`, from a live node's view. */
    const replicaOf = (master: ClusterNodeLine): ClusterNodeLine | undefined =>
      lines.find((line) => line.role === 'replica' && line.masterId === master.id && !line.failing);
    /** The first shard's master that has a live replica. */
    const pickShard = async (): Promise<{ master: ClusterNodeLine; replica: ClusterNodeLine; shard: number }> => {
      await refresh();
      const shards = shardsByPort(lines);
      const masters = lines
        .filter((line) => line.role === 'master' && shards.has(line.port))
        .sort((a, b) => (shards.get(a.port) ?? 0) - (shards.get(b.port) ?? 0));
      for (const master of masters) {
        const replica = replicaOf(master);
        if (replica !== undefined && nodeAt(replica.port)?.exited === false) {
          return { master, replica, shard: shards.get(master.port) ?? 0 };
        }
      }
      throw new Error('the private cluster has no shard master with a live replica left to fail over to');
    };
    const isMasterEverywhere = (port: number) =>
      everyLiveNode(async (node) => {
        if (!(await clusterOk(node))) return false;
        return (await readNodes(node)).some((line) => line.port === port && line.role === 'master' && !line.failing);
      });

    const killMaster = async (signal: AbortSignal): Promise<TopologyFaultOutcome> => {
      const { master, replica, shard } = await pickShard();
      const victim = nodeAt(master.port);
      if (victim === undefined) throw new Error(`the private cluster has no node on port ${master.port}`);
      const startedMs = performance.now();
      await victim.kill();
      await until(
        `the replica on port ${replica.port} to take over shard ${shard}`,
        () => isMasterEverywhere(replica.port),
        HEAL_TIMEOUT_MS,
        signal,
      );
      const tookMs = Math.round(performance.now() - startedMs);
      await refresh();
      return {
        detail: `SIGKILLed shard ${shard}'s master ${HOST}:${master.port} (pid ${victim.pid}); its replica ${HOST}:${replica.port} was master on every live node ${tookMs} ms later`,
      };
    };

    const failover = async (signal: AbortSignal): Promise<TopologyFaultOutcome> => {
      const { master, replica, shard } = await pickShard();
      const node = nodeAt(replica.port);
      if (node === undefined) throw new Error(`the private cluster has no node on port ${replica.port}`);
      const startedMs = performance.now();
      await node.query('CLUSTER', 'FAILOVER');
      await until(
        `the replica on port ${replica.port} to take over shard ${shard}`,
        async () =>
          (await isMasterEverywhere(replica.port)) &&
          /master_link_status:up/.test(String(await nodeAt(master.port)?.query('INFO', 'replication'))),
        HEAL_TIMEOUT_MS,
        signal,
      );
      const tookMs = Math.round(performance.now() - startedMs);
      await refresh();
      return {
        detail: `CLUSTER FAILOVER on ${HOST}:${replica.port}: it took over shard ${shard} from ${HOST}:${master.port} (now its replica) in ${tookMs} ms`,
      };
    };

    return {
      kind: 'cluster',
      url: `redis+cluster://:${password}@${nodes.map((node) => `${HOST}:${node.port}`).join(',')}`,
      password,
      version,
      nodeTimeoutMs,
      servers: () => {
        const shards = shardsByPort(lines);
        return nodes.map((node) => {
          const line = lines.find((candidate) => candidate.port === node.port);
          const shard = shards.get(node.port);
          return {
            role: line?.role ?? 'master',
            host: node.host,
            port: node.port,
            pid: node.pid,
            ...(shard === undefined ? {} : { shard }),
          };
        });
      },
      stop,
      killMaster,
      killNode: killMaster,
      failover,
    };
  } catch (error) {
    const output = nodes.find((node) => node.exited)?.output();
    await stop();
    if (error instanceof Error) {
      error.message = redactSecrets(`${error.message}${output === undefined ? '' : ` (a node exited: ${output})`}`, [
        password,
      ]);
    }
    throw error;
  }
}
