// One redis-server process of a private cluster: started like the private server (config on stdin, parent-death signal), queried, killed.

import { rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port.js';
import { LineTail } from './line-tail.js';
import { deathSignalGuard } from './private-server.js';
import { renderRedisConfig } from './server-config.js';
import { makeServerDir } from './server-dir.js';

const FORCE_KILL_AFTER_MS = 3_000;
const EXIT_WAIT_MS = 10_000;
const QUERY_TIMEOUT_MS = 1_000;

export interface ClusterNode {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Whether the process has exited (killed by a fault, or stopped). */
  readonly exited: boolean;
  /** The last lines it printed (never the password: the config went to stdin). */
  output(): string;
  /** Run one command on the node over a short-lived authenticated connection. */
  query(...args: string[]): Promise<unknown>;
  /** SIGKILL now and wait for the exit (a fault). */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after 3 s, wait for the exit, remove its dir. Idempotent. */
  stop(): Promise<void>;
}

/** Two free ports for a node: its client port and its cluster bus port (so the bus never needs port + 10000). */
export async function freeNodePorts(host: string): Promise<{ port: number; busPort: number }> {
  const port = await findFreePort(host);
  for (;;) {
    const busPort = await findFreePort(host);
    if (busPort !== port) return { port, busPort };
  }
}

/** Start one cluster node (not yet part of a cluster); resolves once the process runs, not once it answers. */
export async function startClusterNode(params: {
  binary: string;
  host: string;
  password: string;
  nodeTimeoutMs: number;
}): Promise<ClusterNode> {
  const { binary, host, password, nodeTimeoutMs } = params;
  const { port, busPort } = await freeNodePorts(host);
  const dir = await makeServerDir();
  const guard = await deathSignalGuard();
  const tail = new LineTail(20);
  const config = renderRedisConfig({ port, password, dir, bind: host, cluster: { nodeTimeoutMs, busPort } });
  const subprocess = execa(guard?.command ?? binary, [...(guard?.args ?? []), binary, '-'], {
    input: config,
    detached: guard !== undefined,
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
  });
  subprocess.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
  subprocess.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
  let exited = false;
  const done = subprocess.then(() => {
    exited = true;
  });
  const waitExit = async (): Promise<void> => {
    const finished = await Promise.race([done.then(() => true), delay(EXIT_WAIT_MS, false, { ref: false })]);
    if (!finished) throw new Error(`cluster node ${host}:${port} (pid ${subprocess.pid}) did not exit`);
  };
  let stopping: Promise<void> | undefined;
  return {
    host,
    port,
    pid: subprocess.pid ?? 0,
    get exited() {
      return exited;
    },
    output: () => tail.lines().slice(-5).join(' | ') || 'no output',
    query: (...args) => queryNode({ host, port, password }, args),
    kill: async () => {
      if (!exited) subprocess.kill('SIGKILL');
      await waitExit();
    },
    stop: () => {
      stopping ??= (async () => {
        try {
          if (!exited) subprocess.kill('SIGTERM');
          await waitExit();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}

/** One command on a node over a connection made for it and dropped after; rejects on any failure. */
export async function queryNode(
  target: { host: string; port: number; password: string },
  args: string[],
): Promise<unknown> {
  const client = new Redis({
    host: target.host,
    port: target.port,
    password: target.password,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: QUERY_TIMEOUT_MS,
    commandTimeout: QUERY_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [command = '', ...rest] = args;
    return await client.call(command, ...rest);
  } finally {
    client.disconnect();
  }
}
