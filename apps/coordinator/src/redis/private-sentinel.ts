// A private Sentinel group for one run or test suite (--topology=sentinel): a master, a replica and three sentinels
// on free loopback ports behind one random password; kill-master and failover act on it; stop() leaves nothing.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { redactSecrets } from '@evbridge/bridge';
import { SENTINEL_DEFAULTS } from '../config/defaults.js';
import { findFreePort } from './free-port.js';
import { locateBinary } from './locate-binary.js';
import { type PrivateRedisLogger, RedisServerNotFoundError } from './private-server.js';
import { askServer, probeRedis } from './probe.js';
import { renderRedisConfig, renderSentinelConfig } from './server-config.js';
import { makeServerDir } from './server-dir.js';
import { describeExit, launchServer, type ServerProcess } from './server-process.js';
import type { PrivateTopology, TopologyFaultOutcome, TopologyServer } from './topology.js';

export interface StartPrivateSentinelOptions {
  /** The redis-server binary (it runs the sentinels too): a path, or a name looked up on PATH. */
  redisServerPath?: string;
  logger?: PrivateRedisLogger;
  /** The address every process listens on (--redis-bind); default 127.0.0.1. */
  host?: string;
  /** Sentinel's down-after-milliseconds: how long the master may not answer before it is thought down. */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  /** How long the group may take to form (master, replica linked, every sentinel knowing the others). */
  readyTimeoutMs?: number;
}

export interface PrivateSentinel extends PrivateTopology {
  kind: 'sentinel';
  masterName: string;
  /** The master the sentinels name now (asks them). */
  currentMaster(): Promise<{ host: string; port: number }>;
}

const SENTINELS = 3;
const POLL_MS = 25;
const ASK_TIMEOUT_MS = 1_000;
/** How long, beyond down-after-milliseconds and failover-timeout, a promotion may take before it counts as failed. */
const PROMOTION_SLACK_MS = 10_000;

interface Server {
  port: number;
  process: ServerProcess;
  dir: string;
}

/** Starts the group and waits until it can fail over: the replica linked, every sentinel knowing the replica and the other two. */
export async function startPrivateSentinel(options: StartPrivateSentinelOptions = {}): Promise<PrivateSentinel> {
  const command = options.redisServerPath ?? 'redis-server';
  const binary = await locateBinary(command);
  if (binary === undefined) {
    throw new RedisServerNotFoundError(
      `redis-server was not found (looked for '${command}'${command.includes('/') ? '' : ' on PATH'}): install redis-server (e.g. apt-get install redis-server) or use an existing Sentinel group with --redis redis+sentinel://...`,
    );
  }
  const password = randomBytes(24).toString('hex');
  const host = options.host ?? '127.0.0.1';
  const masterName = SENTINEL_DEFAULTS.masterName;
  const downAfterMs = options.downAfterMs ?? SENTINEL_DEFAULTS.downAfterMs;
  const failoverTimeoutMs = options.failoverTimeoutMs ?? SENTINEL_DEFAULTS.failoverTimeoutMs;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const root = await makeServerDir();
  const servers: Server[] = [];
  const sentinels: Server[] = [];
  let masterPort = 0;
  let stopping: Promise<void> | undefined;

  const ask = (port: number, ...args: string[]): Promise<unknown> =>
    askServer({ host, port, password }, args, ASK_TIMEOUT_MS);

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const all = [...sentinels, ...servers].map((server) => server.process.stop());
      const results = await Promise.allSettled(all);
      await rm(root, { recursive: true, force: true });
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    })();
    return stopping;
  };

  const startServer = async (name: string, port: number, replicaOf?: { host: string; port: number }) => {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const config = renderRedisConfig({
      port,
      password,
      dir,
      bind: host,
      demotable: true,
      ...(replicaOf === undefined ? {} : { replicaOf }),
    });
    const process = await launchServer(binary, ['-'], config);
    return { port, process, dir };
  };

  const currentMaster = async (): Promise<{ host: string; port: number }> => {
    let lastError: unknown;
    for (const sentinel of sentinels) {
      try {
        const reply = (await ask(sentinel.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as
          | [string, string]
          | null;
        if (reply !== null) return { host: reply[0], port: Number(reply[1]) };
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no sentinel named a master for ${masterName}: ${messageOf(lastError)}`);
  };

  /** Waits until a sentinel names a master other than `old` and that master says it is one; returns it. */
  const awaitPromotion = async (old: number, signal: AbortSignal): Promise<number> => {
    const timeoutMs = downAfterMs + failoverTimeoutMs + PROMOTION_SLACK_MS;
    return pollUntil(`a sentinel to promote a new master in place of port ${old}`, timeoutMs, signal, async () => {
      const named = await currentMaster();
      if (named.port === old) return undefined;
      const role = (await ask(named.port, 'ROLE')) as [string, ...unknown[]];
      return role[0] === 'master' ? named.port : undefined;
    });
  };

  const serverAt = (port: number): Server => {
    const server = servers.find((candidate) => candidate.port === port);
    if (server === undefined) throw new Error(`the sentinels name port ${port}, which is none of this group's servers`);
    return server;
  };

  try {
    const ports = await distinctFreePorts(host, 2 + SENTINELS);
    const [first = 0, second = 0, ...sentinelPorts] = ports;
    masterPort = first;
    servers.push(await startServer('server-0', first));
    servers.push(await startServer('server-1', second, { host, port: first }));
    const version = await pollUntil(
      'the master and its replica to answer',
      readyTimeoutMs,
      undefined,
      async () => {
        const answered = await probeRedis({ host, port: first, password });
        await probeRedis({ host, port: second, password });
        return answered;
      },
      () => servers,
    );
    await pollUntil(
      'the replica to link up with its master',
      readyTimeoutMs,
      undefined,
      async () => (/master_link_status:up/.test(String(await ask(second, 'INFO', 'replication'))) ? true : undefined),
      () => servers,
    );
    for (const [index, port] of sentinelPorts.entries()) {
      const dir = join(root, `sentinel-${index}`);
      await mkdir(dir, { mode: 0o700 });
      const file = join(dir, 'sentinel.conf');
      const config = renderSentinelConfig({
        port,
        password,
        dir,
        bind: host,
        masterName,
        master: { host, port: first },
        quorum: SENTINEL_DEFAULTS.quorum,
        downAfterMs,
        failoverTimeoutMs,
      });
      // A file, since a sentinel rewrites its config; readable by this user only (it holds the password).
      await writeFile(file, config, { mode: 0o600 });
      sentinels.push({ port, dir, process: await launchServer(binary, [file, '--sentinel']) });
    }
    await pollUntil(
      'every sentinel to know the replica and the other sentinels',
      readyTimeoutMs,
      undefined,
      async () => {
        for (const sentinel of sentinels) {
          const known = (await ask(sentinel.port, 'SENTINEL', 'SENTINELS', masterName)) as unknown[];
          const replicas = (await ask(sentinel.port, 'SENTINEL', 'REPLICAS', masterName)) as string[][];
          const linked = replicas.filter((fields) => fieldOf(fields, 'master-link-status') === 'ok');
          if (known.length !== SENTINELS - 1 || linked.length !== 1) return undefined;
        }
        return true;
      },
      () => [...servers, ...sentinels],
    );
    options.logger?.info(
      {
        masterPort: first,
        replicaPort: second,
        sentinelPorts,
        redisPids: [...servers, ...sentinels].map((server) => server.process.pid),
        downAfterMs,
        version,
      },
      'private Sentinel group started',
    );
    const sentinelList = sentinelPorts.map((port) => `${hostInUrl(host)}:${port}`).join(',');
    const group: PrivateSentinel = {
      kind: 'sentinel',
      url: `redis+sentinel://:${password}@${sentinelList}/${masterName}`,
      password,
      version,
      masterName,
      currentMaster,
      servers: () => [
        ...servers.map(
          (server): TopologyServer => ({
            role: server.port === masterPort ? 'master' : 'replica',
            host,
            port: server.port,
            pid: server.process.pid,
          }),
        ),
        ...sentinels.map(
          (sentinel): TopologyServer => ({ role: 'sentinel', host, port: sentinel.port, pid: sentinel.process.pid }),
        ),
      ],
      stop,
      killMaster: async (signal): Promise<TopologyFaultOutcome> => {
        const old = (await currentMaster()).port;
        const victim = serverAt(old);
        const fromMs = performance.now();
        victim.process.kill('SIGKILL');
        await victim.process.exited;
        const promoted = await awaitPromotion(old, signal);
        const promotedMs = Math.round(performance.now() - fromMs);
        masterPort = promoted;
        // Back as a replica of the new master, as an operator would bring it back: the group can fail over again.
        const index = servers.indexOf(victim);
        if (stopping !== undefined) throw new Error('the Sentinel group was stopped during kill-master');
        const revived = await startServer(`server-${index}`, old, { host, port: promoted });
        servers[index] = revived;
        // stop() may have run while it started: it saw the dead process only.
        if (stopping !== undefined) {
          await revived.process.stop();
          throw new Error('the Sentinel group was stopped during kill-master');
        }
        await pollUntil(`the old master to answer again on port ${old}`, readyTimeoutMs, signal, async () =>
          (await ask(old, 'PING')) === 'PONG' ? true : undefined,
        );
        options.logger?.info(
          { port: old, redisPid: revived.process.pid, master: promoted },
          'private Sentinel server restarted as a replica',
        );
        return {
          detail: `master ${hostInUrl(host)}:${old} (pid ${victim.process.pid}) killed by SIGKILL; the sentinels promoted ${hostInUrl(host)}:${promoted} ${promotedMs} ms later (down-after-milliseconds ${downAfterMs}); the old master restarted as its replica (pid ${revived.process.pid})`,
        };
      },
      failover: async (signal): Promise<TopologyFaultOutcome> => {
        const old = (await currentMaster()).port;
        const fromMs = performance.now();
        // A sentinel refuses while no replica is fit (NOGOODSLAVE: a replica just revived, not yet seen in sync) or a
        // failover runs (INPROG): it is asked again until failover-timeout has passed.
        await pollUntil(`a sentinel to accept SENTINEL FAILOVER ${masterName}`, failoverTimeoutMs, signal, async () => {
          const sentinel = sentinels[0];
          if (sentinel === undefined) throw new Error('the group has no sentinel');
          await ask(sentinel.port, 'SENTINEL', 'FAILOVER', masterName);
          return true;
        });
        const promoted = await awaitPromotion(old, signal);
        masterPort = promoted;
        return {
          detail: `SENTINEL FAILOVER: master ${hostInUrl(host)}:${old} -> ${hostInUrl(host)}:${promoted} in ${Math.round(performance.now() - fromMs)} ms`,
        };
      },
    };
    return group;
  } catch (error) {
    await stop().catch(() => undefined);
    if (error instanceof Error) error.message = redactSecrets(error.message, [password]);
    throw error;
  }
}

/**
 * Polls `attempt` every POLL_MS until it returns a value, or rejects naming `what` after `timeoutMs` (or at once when
 * `signal` aborts, or when one of `processes()` exited).
 */
async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T | undefined>,
  processes: () => readonly Server[] = () => [],
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    for (const { port, process } of processes()) {
      if (process.exit !== undefined) {
        throw new Error(
          `redis-server on port ${port} ${describeExit(process.exit)} while waiting for ${what}: ${process.lastOutput()}`,
        );
      }
    }
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const reason = lastError === undefined ? '' : ` (last error: ${messageOf(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await delay(POLL_MS, undefined, signal === undefined ? {} : { signal });
  }
}

async function distinctFreePorts(host: string, count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort(host));
  return [...ports];
}

/** A field of a SENTINEL REPLICAS entry (a flat [name, value, ...] list). */
function fieldOf(fields: readonly string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index === -1 ? undefined : fields[index + 1];
}

function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
