// One redis-server process of a private cluster: started by the harness's server launcher (config on stdin, parent-death
// signal), queried, killed.

import { rm } from 'node:fs/promises';
import { findFreePort } from './free-port.js';
import { askServer } from './probe.js';
import { renderRedisConfig } from './server-config.js';
import { makeServerDir } from './server-dir.js';
import { launchServer } from './server-process.js';

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
  const config = renderRedisConfig({ port, password, dir, bind: host, cluster: { nodeTimeoutMs, busPort } });
  // The config (with the password) goes to stdin, never argv; the server dies with the harness (parent-death signal).
  const server = await launchServer(binary, ['-'], config);
  let stopping: Promise<void> | undefined;
  return {
    host,
    port,
    pid: server.pid,
    get exited() {
      return server.exit !== undefined;
    },
    output: () => server.lastOutput(),
    query: (...args) => askServer({ host, port, password }, args, QUERY_TIMEOUT_MS),
    kill: async () => {
      server.kill('SIGKILL');
      await server.stop();
    },
    stop: () => {
      stopping ??= server.stop().finally(() => rm(dir, { recursive: true, force: true }));
      return stopping;
    },
  };
}
