// The redis.conf text of a private server: loopback unless told otherwise (--redis-bind), password, no persistence;
// written to stdin, never argv. Also a replica's, a cluster node's and a sentinel's (the topologies of issue 14).

export interface PrivateRedisConfig {
  port: number;
  password: string;
  /** Working directory (a fresh temp dir). */
  dir: string;
  /** The address to listen on; default 127.0.0.1 (loopback only). */
  bind?: string;
  /** Serve TLS only on `port` (the plain port is off), with these PEM files. */
  tls?: PrivateRedisTlsFiles;
  /** A replica of this master, which asks for the same password (topologies: one password for every server). */
  replicaOf?: { host: string; port: number };
  /** A cluster node (its node table in `dir`/nodes.conf): a master fails over once unreachable this long. */
  cluster?: { nodeTimeoutMs: number; busPort?: number };
  /**
   * Keep the data in an append-only file in `dir` (appendonly yes, appendfsync everysec), so a restart keeps the
   * streams of `--delivery=at-least-once`; absent or false = no persistence at all.
   */
  appendOnly?: boolean;
  /**
   * A master that a failover may turn into a replica (Sentinel demotes it): it then needs the password to
   * authenticate to its new master, as a replica does.
   */
  demotable?: boolean;
}

export interface PrivateRedisTlsFiles {
  certFile: string;
  keyFile: string;
  /** The CA that signed certFile (clients are not asked for certificates). */
  caFile: string;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderRedisConfig({
  port,
  password,
  dir,
  tls,
  bind = '127.0.0.1',
  replicaOf,
  cluster,
  appendOnly = false,
  demotable,
}: PrivateRedisConfig): string {
  const listen =
    tls === undefined
      ? [`port ${port}`]
      : [
          'port 0',
          `tls-port ${port}`,
          `tls-cert-file ${quote(tls.certFile)}`,
          `tls-key-file ${quote(tls.keyFile)}`,
          `tls-ca-cert-file ${quote(tls.caFile)}`,
          'tls-auth-clients no',
        ];
  return [
    `bind ${bind}`,
    ...listen,
    `requirepass ${quote(password)}`,
    'save ""',
    ...(appendOnly ? ['appendonly yes', 'appendfsync everysec'] : ['appendonly no']),
    'protected-mode yes',
    'daemonize no',
    `dir ${quote(dir)}`,
    'logfile ""',
    'loglevel notice',
    'always-show-logo no',
    // A replica authenticates to its master with the password every server of the topology shares.
    ...(replicaOf === undefined
      ? []
      : [`replicaof ${replicaOf.host} ${replicaOf.port}`, `masterauth ${quote(password)}`]),
    ...(demotable === true && replicaOf === undefined ? [`masterauth ${quote(password)}`] : []),
    // A replica's first sync starts at once, not after the default 5 s wait for more replicas to join it.
    ...(demotable === true || replicaOf !== undefined ? ['repl-diskless-sync-delay 0'] : []),
    ...(cluster === undefined
      ? []
      : [
          'cluster-enabled yes',
          'cluster-config-file nodes.conf',
          `cluster-node-timeout ${cluster.nodeTimeoutMs}`,
          // The cluster bus port; default port + 10000, which may be taken (or above 65535) for a free port picked.
          ...(cluster.busPort === undefined ? [] : [`cluster-port ${cluster.busPort}`]),
          `masterauth ${quote(password)}`,
        ]),
    '',
  ].join('\n');
}

export interface SentinelConfig {
  port: number;
  /** The sentinel's own password, and the one of the master and replicas it watches (one password per topology). */
  password: string;
  dir: string;
  bind?: string;
  /** The name clients ask the sentinels for, and the master they start watching. */
  masterName: string;
  master: { host: string; port: number };
  /** Sentinels that must agree the master is down before a failover. */
  quorum: number;
  /** How long the master must not answer before a sentinel thinks it down. */
  downAfterMs: number;
  failoverTimeoutMs: number;
}

/**
 * A sentinel's config. Unlike a server's it must be a file (a sentinel rewrites it as it learns the topology), so
 * whoever writes it makes it readable by its user only: it holds the password.
 */
export function renderSentinelConfig(config: SentinelConfig): string {
  const { masterName: name } = config;
  return [
    `bind ${config.bind ?? '127.0.0.1'}`,
    `port ${config.port}`,
    `requirepass ${quote(config.password)}`,
    'protected-mode yes',
    'daemonize no',
    `dir ${quote(config.dir)}`,
    'logfile ""',
    `sentinel monitor ${name} ${config.master.host} ${config.master.port} ${config.quorum}`,
    `sentinel auth-pass ${name} ${quote(config.password)}`,
    // Sentinels talk to each other with the same password.
    `sentinel sentinel-pass ${quote(config.password)}`,
    `sentinel down-after-milliseconds ${name} ${config.downAfterMs}`,
    `sentinel failover-timeout ${name} ${config.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${name} 1`,
    '',
  ].join('\n');
}
