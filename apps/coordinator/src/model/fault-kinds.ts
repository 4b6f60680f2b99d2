// The fault kinds --fault accepts: one table says what each one hits, what it needs, and what Redis allows after it.

import type { RedisTopology as TopologyName } from '@evbridge/bridge';

/** Where a fault lands: one worker process (chosen by --fault-target), or the run's Redis. */
export type FaultTargetKind = 'worker' | 'redis';

/**
 * What injecting a fault needs besides the fleet: nothing, a control connection to the run's Redis (any Redis
 * that lets the user run the command), the private redis-server the harness started (to stop and start it), or a
 * private Sentinel or Cluster topology (--topology) whose master it kills or fails over.
 */
export type FaultNeeds = 'nothing' | 'redis-control' | 'private-redis' | 'private-topology';

export interface FaultKindSpec {
  target: FaultTargetKind;
  /** `required`: KIND@TIME:DURATION; `none`: KIND@TIME (an instant fault, such as a kill). */
  duration: 'required' | 'none';
  needs: FaultNeeds;
  /** True when it signals the target worker's own process (SIGSTOP): refused for workers the coordinator cannot signal. */
  signalsWorker?: boolean;
  /** True when it finds the workers' Redis connections by their names (CLIENT SETNAME), which the driver must report. */
  needsNamedConnections?: boolean;
  /** True when DURATION is only an upper bound: the fault is over when its injection returns (slow-consumer). */
  endsEarly?: boolean;
  /**
   * The topologies (--topology) it applies to; absent: every one. A fault on one Redis server's control connection
   * (CLIENT PAUSE, CLIENT KILL, CONFIG SET) does not apply to a Cluster, whose control connection reaches one node.
   */
  topologies?: readonly TopologyName[];
  /** One line for --help and the report. */
  description: string;
  /**
   * What Redis's semantics allow after this fault, each with the reason; null when it is not allowed. Pub/sub
   * delivers at most once: an event published while a subscriber is not subscribed (or whose connection Redis
   * dropped with the event in its output buffer) is gone. A duplicate needs a PUBLISH sent twice: ioredis resends
   * a command in flight when its connection drops (autoResendUnfulfilledCommands), so only faults that drop a
   * publisher's connection may cause one.
   */
  allows: { loss: string | null; duplicates: string | null };
}

const SUBSCRIBER_GONE = 'pub/sub is at most once: events published while a subscriber is disconnected are gone';
const PUBLISH_RESENT =
  'a PUBLISH in flight when its connection dropped may have reached Redis before ioredis resent it on the new connection';

const KINDS = {
  'block-worker': {
    target: 'worker',
    duration: 'required',
    needs: 'nothing',
    description: 'the target worker blocks its own event loop for DURATION (a long GC pause, a CPU-bound handler)',
    allows: { loss: null, duplicates: null },
  },
  'kill-worker': {
    target: 'worker',
    duration: 'none',
    needs: 'nothing',
    description: 'SIGKILL the target worker (a crash): the others run on; events it never published are not lost',
    allows: {
      loss: 'events the killed worker had published but Redis had not yet sent to every peer die with its connection',
      duplicates: null,
    },
  },
  'stop-worker': {
    target: 'worker',
    duration: 'required',
    needs: 'nothing',
    signalsWorker: true,
    description: 'SIGSTOP the target worker for DURATION, then SIGCONT (a stalled peer and a slow consumer)',
    allows: { loss: null, duplicates: null },
  },
  'pause-redis': {
    target: 'redis',
    duration: 'required',
    needs: 'redis-control',
    topologies: ['standalone', 'sentinel'],
    description: 'CLIENT PAUSE DURATION ALL: Redis serves no client for DURATION',
    allows: { loss: null, duplicates: null },
  },
  'pause-redis-writes': {
    target: 'redis',
    duration: 'required',
    needs: 'redis-control',
    topologies: ['standalone', 'sentinel'],
    description: 'CLIENT PAUSE DURATION WRITE: Redis holds writes and PUBLISH for DURATION (Redis >= 6.2)',
    allows: { loss: null, duplicates: null },
  },
  'restart-redis': {
    target: 'redis',
    duration: 'required',
    needs: 'private-redis',
    topologies: ['standalone'],
    description:
      'stop the private redis-server, keep it down for DURATION, start it again on the same port and password',
    allows: { loss: SUBSCRIBER_GONE, duplicates: PUBLISH_RESENT },
  },
  'kill-subscribers': {
    target: 'redis',
    duration: 'none',
    needs: 'redis-control',
    topologies: ['standalone', 'sentinel'],
    description: "CLIENT KILL TYPE pubsub: Redis drops every subscriber's connection (every one on that Redis)",
    allows: { loss: SUBSCRIBER_GONE, duplicates: null },
  },
  'kill-publishers': {
    target: 'redis',
    duration: 'none',
    needs: 'redis-control',
    needsNamedConnections: true,
    topologies: ['standalone', 'sentinel'],
    description:
      "CLIENT KILL each worker's publisher connection (by the name its driver reports) while events are in flight",
    allows: {
      loss: 'a PUBLISH written to a connection Redis closed before reading it is lost unless ioredis resends it',
      duplicates: PUBLISH_RESENT,
    },
  },
  'slow-consumer': {
    target: 'worker',
    duration: 'required',
    needs: 'redis-control',
    signalsWorker: true,
    needsNamedConnections: true,
    endsEarly: true,
    topologies: ['standalone', 'sentinel'],
    description:
      'lower client-output-buffer-limit pubsub and SIGSTOP the target worker until Redis closes its subscriber (at most DURATION), then SIGCONT and restore the limit',
    allows: {
      loss: `${SUBSCRIBER_GONE}; Redis discards the output buffer of a subscriber it closes`,
      duplicates: null,
    },
  },
  'kill-master': {
    target: 'redis',
    duration: 'none',
    needs: 'private-topology',
    topologies: ['sentinel', 'cluster'],
    description:
      'SIGKILL the current master of the private topology (--topology=sentinel; with --topology=cluster, a shard master as kill-node does): the sentinels (or the cluster) notice it down, promote the replica, and the bridge follows',
    allows: {
      loss: `${SUBSCRIBER_GONE}: from the master's death until the bridge subscribed on the new master (the sentinels' or the cluster's detection time included), and what the old master had not yet sent`,
      duplicates: null,
    },
  },
  failover: {
    target: 'redis',
    duration: 'none',
    needs: 'private-topology',
    topologies: ['sentinel', 'cluster'],
    description:
      'a planned failover of the private topology (SENTINEL FAILOVER; CLUSTER FAILOVER on a shard replica with --topology=cluster): the replica is promoted, the old master demoted, and the bridge follows',
    allows: {
      loss: `${SUBSCRIBER_GONE}: the demoted master closes its clients, so events published between that and the resubscribe on the new master are gone (a planned failover should lose little)`,
      duplicates: null,
    },
  },
  'kill-node': {
    target: 'redis',
    duration: 'none',
    needs: 'private-topology',
    topologies: ['cluster'],
    description:
      "SIGKILL a shard master of the private Cluster (--topology=cluster): after cluster-node-timeout the other masters mark it failed and its replica takes over its slots; the bridge's subscriber on that shard is lost and ioredis subscribes on the new master",
    allows: {
      loss: `${SUBSCRIBER_GONE}: events on that shard's channels from the master's death until the bridges subscribed on its replica (cluster-node-timeout and the election included), and what the dead master had not yet sent; the other shards' channels lose nothing`,
      duplicates: null,
    },
  },
} as const satisfies Record<string, FaultKindSpec>;

export type FaultKind = keyof typeof KINDS;

/** `at-most-once` (pub/sub) or `at-least-once` (a durable mode: evbridge's Redis Streams), as --delivery says. */
export type FaultDelivery = 'at-most-once' | 'at-least-once';

const STREAM_RESUMES =
  'Redis Streams keep every entry until MAXLEN trims it, and each reader resumes from its cursor: nothing is lost';

/**
 * What Redis allows after a fault with `--delivery=at-least-once`, where it differs from pub/sub's `allows`: a
 * subscriber that is away or behind (disconnected, stopped, stalled, Redis restarted with appendonly) reads what it
 * missed when it is back, and an XADD whose connection dropped before Redis replied is sent again with the same
 * message id, which readers drop when Redis had appended the first: neither a loss nor a duplicate is allowed.
 */
const AT_LEAST_ONCE_ALLOWS: Partial<Record<FaultKind, FaultKindSpec['allows']>> = {
  'restart-redis': { loss: null, duplicates: null },
  'kill-subscribers': { loss: null, duplicates: null },
  'kill-publishers': { loss: null, duplicates: null },
  'slow-consumer': { loss: null, duplicates: null },
};

/** What Redis's semantics allow after `kind` with `delivery`, each with the reason; null when it is not allowed. */
export function faultAllows(kind: FaultKind, delivery: FaultDelivery = 'at-most-once'): FaultKindSpec['allows'] {
  return (delivery === 'at-least-once' ? AT_LEAST_ONCE_ALLOWS[kind] : undefined) ?? FAULT_KINDS[kind].allows;
}

/** Why no loss is allowed after `kind`, for the verdict that finds some. */
export function whyNoLoss(kind: FaultKind, delivery: FaultDelivery = 'at-most-once'): string {
  return delivery === 'at-least-once' && AT_LEAST_ONCE_ALLOWS[kind] !== undefined
    ? `${STREAM_RESUMES} through ${kind}, so the loss is the bridge's or the harness's`
    : `Redis drops no event through ${kind}, so the loss is the bridge's or the harness's`;
}

/** Adding a kind: a row here, its injection in faults/fault-injection.ts, and a test. */
export const FAULT_KINDS: Readonly<Record<FaultKind, FaultKindSpec>> = KINDS;

export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKind[];

export function isFaultKind(name: string): name is FaultKind {
  return Object.hasOwn(FAULT_KINDS, name);
}

/** Whether `kind` applies to a run on `topology` (see FaultKindSpec.topologies). */
export function faultFitsTopology(kind: FaultKind, topology: TopologyName): boolean {
  const fits: readonly TopologyName[] | undefined = FAULT_KINDS[kind].topologies;
  return fits === undefined || fits.includes(topology);
}

/** The form of one kind, for messages: "block-worker@TIME:DURATION". */
export function faultForm(kind: FaultKind): string {
  return FAULT_KINDS[kind].duration === 'required' ? `${kind}@TIME:DURATION` : `${kind}@TIME`;
}

/** Why no duplicate is allowed after `kind`, for the verdict that finds some. */
export function whyNoDuplicates(kind: FaultKind, delivery: FaultDelivery = 'at-most-once'): string {
  return delivery === 'at-least-once' && AT_LEAST_ONCE_ALLOWS[kind] !== undefined
    ? `a stream reader resumes after its cursor and drops an XADD sent again by its message id through ${kind}, so the duplicate is the bridge's or the harness's`
    : `${kind} drops no publisher connection, so no PUBLISH was sent twice`;
}
