// A private topology of several Redis processes (issue 14): the interface the run, its faults and its cleanup see.
import type { TopologyName } from '../config/option-names.js';

/** `standalone`: one redis-server; `sentinel`: a master, a replica and three sentinels; `cluster`: three shards. */
export type TopologyKind = TopologyName;

/** One process of a private topology. */
export interface TopologyServer {
  role: 'master' | 'replica' | 'sentinel';
  host: string;
  port: number;
  pid: number;
  /** Cluster: the shard (0-based) the node serves. */
  shard?: number;
}

/** What a fault on a topology did: one line for the report (which server was hit, which one took over). */
export interface TopologyFaultOutcome {
  detail: string;
}

/** A Sentinel group or a Cluster the harness started for one run: every process on loopback, one random password. */
export interface PrivateTopology {
  kind: 'sentinel' | 'cluster';
  /** redis+sentinel://:pw@h:p,h:p/name or redis+cluster://:pw@h:p,h:p: holds the password, never log it. */
  url: string;
  password: string;
  /** The redis-server version ("7.0.15"). */
  version: string;
  /** Every process as it is now (a failover swaps the roles of master and replica). */
  servers(): TopologyServer[];
  /** Stops every process and removes every temp dir; idempotent, never leaves a process behind. */
  stop(): Promise<void>;
  /** SIGKILL the current master (Cluster: one shard's); resolves once a replica is promoted and announced. */
  killMaster(signal: AbortSignal): Promise<TopologyFaultOutcome>;
  /** A planned failover (SENTINEL FAILOVER, CLUSTER FAILOVER on a replica); resolves once the new master is announced. */
  failover(signal: AbortSignal): Promise<TopologyFaultOutcome>;
  /** Cluster only: SIGKILL one node. */
  killNode?(signal: AbortSignal): Promise<TopologyFaultOutcome>;
}
