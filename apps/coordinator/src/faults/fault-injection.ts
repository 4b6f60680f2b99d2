// How each fault kind is injected: one function per kind, given the fleet, a control connection to Redis and, for
// restart-redis, the private redis-server.
import type { DriverConnection } from '@evbridge/driver';
import type { OsControl, WorkerHandle } from '../fleet/worker-handle.js';
import { abortableDelay } from './abortable-delay.js';
import { parseClientList } from './client-list.js';
import type { ControlConnection } from './control-connection.js';
import type { FaultDelivery, FaultKind } from '../model/fault-kinds.js';
import type { FaultSpec } from '../config/fault-spec.js';
import type { PrivateTopology } from '../redis/topology.js';

/** The private redis-server, as restart-redis drives it (see redis/private-server.ts). */
export interface RestartableRedis {
  /** Stops the server process; its port, password and data directory are kept. Resolves once it exited. */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same password; resolves once it answers an authenticated PING. */
  restart(): Promise<void>;
  /** The current server process. */
  readonly pid: number;
}

/** What an injection may touch. */
export interface InjectionDeps {
  /** The worker that worker faults hit. */
  targetWorker: WorkerHandle;
  /** Every worker's Redis connections by name, by index (to find them in CLIENT LIST), as its driver reported them. */
  connections: readonly (readonly DriverConnection[])[];
  /** The control connection to the run's Redis; undefined when no fault needs one. */
  control: ControlConnection | undefined;
  /** The run's Redis version ("7.0.15"), to choose command forms. */
  redisVersion: string;
  /** The private redis-server; undefined with a user's Redis (restart-redis is refused up front then). */
  privateRedis: RestartableRedis | undefined;
  /** The private Sentinel group or Cluster (--topology); undefined otherwise (kill-master is refused up front then). */
  topology: PrivateTopology | undefined;
  /** Aborted when the run stops: a fault still holding something (a stopped worker, a Redis down) lets go at once. */
  signal: AbortSignal;
  /** Monotonic time in microseconds (the harness clock). */
  nowUs: () => number;
  /**
   * --delivery. With `at-least-once` the receiving connections read a stream (XREAD): they are TYPE normal, not
   * pubsub, so kill-subscribers finds them by name, and slow-consumer has no output buffer to overflow.
   */
  delivery?: FaultDelivery;
}

/** What an injection saw: one line for the report, e.g. which connections it killed. */
export interface InjectionOutcome {
  detail: string;
}

type Inject = (fault: FaultSpec, deps: InjectionDeps) => Promise<InjectionOutcome>;

/** CLIENT PAUSE takes a mode (ALL, WRITE) from Redis 6.2; before that every pause is ALL. */
export const CLIENT_PAUSE_MODES_SINCE: readonly number[] = [6, 2, 0];

/**
 * slow-consumer's pubsub limit: 1 MiB, hard (the default is 32 MiB, or 8 MiB for 60 s). It applies to every
 * subscriber, so it must stay far above what a healthy one holds while its host is busy for a moment: Redis writes
 * into the socket first and buffers only what the socket (about 4 MB on Linux loopback) does not take.
 */
export const SLOW_CONSUMER_LIMIT = 'pubsub 1048576 0 0';
/** How often slow-consumer asks Redis whether it closed the stalled subscriber yet. */
const SLOW_CONSUMER_POLL_MS = 20;

/** The target's OS control, or the reason this fault cannot run on it (refused up front by faultPlanProblem). */
function requireOs(worker: WorkerHandle, kind: FaultKind): OsControl {
  if (worker.os === undefined) {
    throw new Error(
      `${kind} signals worker ${worker.index}'s own process, and this worker has none the coordinator can signal`,
    );
  }
  return worker.os;
}

export const INJECTIONS = {
  'block-worker': async (fault, { targetWorker }) => {
    await targetWorker.send({ type: 'fault', kind: 'block', durationMs: fault.durationMs });
    return {
      detail: `worker ${targetWorker.index} (pid ${targetWorker.pid}) blocks its event loop for ${fault.durationMs} ms`,
    };
  },
  'kill-worker': async (_fault, { targetWorker }) => {
    const exit = await targetWorker.terminate();
    // A process reads "was killed by SIGKILL"; a worker thread, how its termination ended it.
    const how = exit.reason ?? `killed by ${exit.signal ?? `exit code ${exit.exitCode}`}`;
    return { detail: `worker ${targetWorker.index} (pid ${targetWorker.pid}) ${how}` };
  },
  'stop-worker': async (fault, { targetWorker, signal, nowUs }) => {
    const os = requireOs(targetWorker, 'stop-worker');
    const fromUs = nowUs();
    os.suspend('SIGSTOP');
    try {
      await abortableDelay(fault.durationMs, signal);
    } finally {
      os.suspend('SIGCONT');
    }
    return {
      detail: `worker ${targetWorker.index} (pid ${targetWorker.pid}) stopped for ${msSince(fromUs, nowUs)} ms`,
    };
  },
  'pause-redis': async (fault, deps) => {
    const mode = redisAtLeast(deps.redisVersion, CLIENT_PAUSE_MODES_SINCE) ? ['ALL'] : [];
    await (await requireControl(deps).get()).call('CLIENT', 'PAUSE', String(fault.durationMs), ...mode);
    return { detail: `CLIENT PAUSE ${fault.durationMs}${mode.length > 0 ? ' ALL' : ''}` };
  },
  'pause-redis-writes': async (fault, deps) => {
    await (await requireControl(deps).get()).call('CLIENT', 'PAUSE', String(fault.durationMs), 'WRITE');
    return { detail: `CLIENT PAUSE ${fault.durationMs} WRITE` };
  },
  'restart-redis': async (fault, deps) => {
    const server = deps.privateRedis;
    if (!server)
      throw new Error(
        'restart-redis needs the private redis-server the harness starts, and this run uses another Redis',
      );
    const oldPid = server.pid;
    const fromUs = deps.nowUs();
    await server.halt();
    const downUs = deps.nowUs();
    // Down for DURATION from the moment it is down, unless the run stops first.
    await abortableDelay(fault.durationMs, deps.signal);
    await server.restart();
    const upMs = msSince(downUs, deps.nowUs);
    return {
      detail: `redis-server pid ${oldPid} stopped in ${msSince(fromUs, () => downUs)} ms, down for ${upMs} ms until pid ${server.pid} answered on the same port`,
    };
  },
  'kill-master': async (_fault, deps) => requireTopology(deps, 'kill-master').killMaster(deps.signal),
  failover: async (_fault, deps) => requireTopology(deps, 'failover').failover(deps.signal),
  'kill-node': async (_fault, deps) => {
    const topology = requireTopology(deps, 'kill-node');
    if (topology.killNode === undefined) throw new Error('kill-node needs the private Cluster (--topology=cluster)');
    return topology.killNode(deps.signal);
  },
  'kill-subscribers': async (_fault, deps) => {
    if (deps.delivery === 'at-least-once') return killStreamReaders(deps);
    const killed = Number(await (await requireControl(deps).get()).call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
    return { detail: `CLIENT KILL TYPE pubsub closed ${killed} subscriber connection${killed === 1 ? '' : 's'}` };
  },
  'kill-publishers': async (_fault, deps) => {
    const control = requireControl(deps);
    const client = await control.get();
    const controlId = await control.id();
    const names = new Set(
      deps.connections.flatMap((held) => held.filter((c) => c.role !== 'subscriber').map((c) => c.name)),
    );
    // A shared connection publishes too; subscribed, it is TYPE pubsub, so the whole list is searched.
    const publishers = parseClientList(String(await client.call('CLIENT', 'LIST'))).filter(
      (entry) => names.has(entry.name) && entry.id !== controlId,
    );
    if (publishers.length === 0) {
      throw new Error(
        'no publishing connection of this run in CLIENT LIST by the names the drivers reported: kill-publishers needs a driver that names the connections it publishes on',
      );
    }
    let killed = 0;
    for (const entry of publishers) killed += Number(await client.call('CLIENT', 'KILL', 'ID', String(entry.id)));
    return { detail: `CLIENT KILL closed ${killed} of ${names.size} publishing connections` };
  },
  'slow-consumer': async (fault, deps) => {
    if (deps.delivery === 'at-least-once') return stallStreamReader(fault, deps);
    const control = requireControl(deps);
    const client = await control.get();
    const { targetWorker } = deps;
    const os = requireOs(targetWorker, 'slow-consumer');
    const names = new Set(
      (deps.connections[targetWorker.index] ?? []).filter((c) => c.role !== 'publisher').map((c) => c.name),
    );
    const name = [...names].join(', ') || '(none reported)';
    const subscriber = parseClientList(String(await client.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))).find((entry) =>
      names.has(entry.name),
    );
    if (subscriber === undefined) {
      throw new Error(
        `worker ${targetWorker.index}'s subscriber connection (${name}) is not among Redis's pub/sub clients: slow-consumer needs a driver that subscribes on a named connection`,
      );
    }
    const saved = (await client.call('CONFIG', 'GET', 'client-output-buffer-limit')) as [string, string];
    await client.call('CONFIG', 'SET', 'client-output-buffer-limit', SLOW_CONSUMER_LIMIT);
    const fromUs = deps.nowUs();
    let closedAfterMs: number | undefined;
    let restoreError: string | undefined;
    os.suspend('SIGSTOP');
    try {
      const deadlineUs = fromUs + fault.durationMs * 1000;
      while (!deps.signal.aborted && deps.nowUs() < deadlineUs) {
        const open = parseClientList(String(await client.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))).some(
          (entry) => entry.id === subscriber.id,
        );
        if (!open) {
          closedAfterMs = msSince(fromUs, deps.nowUs);
          break;
        }
        await abortableDelay(SLOW_CONSUMER_POLL_MS, deps.signal);
      }
    } finally {
      // The limit first: the stalled worker catches up in a burst that must not trip the others' buffers.
      restoreError = await restoreLimit(control, saved[1]);
      os.suspend('SIGCONT');
    }
    if (restoreError !== undefined) {
      throw new Error(
        `could not restore client-output-buffer-limit to "${saved[1]}" (${restoreError}): set it back by hand`,
      );
    }
    if (closedAfterMs === undefined) {
      throw new Error(
        `Redis did not close worker ${targetWorker.index}'s subscriber within ${fault.durationMs} ms of SIGSTOP at client-output-buffer-limit ${SLOW_CONSUMER_LIMIT}: give a longer DURATION, a higher --rate or a larger --payload`,
      );
    }
    return {
      detail: `Redis closed worker ${targetWorker.index}'s subscriber ${closedAfterMs} ms into the stall (output buffer over ${SLOW_CONSUMER_LIMIT}); limit restored, worker continued`,
    };
  },
} as const satisfies Record<FaultKind, Inject>;

/** The receiving connections of every worker, by the names the drivers reported (a stream reader is TYPE normal). */
async function killStreamReaders(deps: InjectionDeps): Promise<InjectionOutcome> {
  const control = requireControl(deps);
  const client = await control.get();
  const controlId = await control.id();
  const names = new Set(
    deps.connections.flatMap((held) => held.filter((c) => c.role !== 'publisher').map((c) => c.name)),
  );
  const readers = parseClientList(String(await client.call('CLIENT', 'LIST'))).filter(
    (entry) => names.has(entry.name) && entry.id !== controlId,
  );
  if (readers.length === 0) {
    throw new Error(
      'no receiving connection of this run in CLIENT LIST by the names the drivers reported: kill-subscribers with --delivery=at-least-once needs a driver that names its connections',
    );
  }
  let killed = 0;
  for (const entry of readers) killed += Number(await client.call('CLIENT', 'KILL', 'ID', String(entry.id)));
  return { detail: `CLIENT KILL closed ${killed} of ${names.size} stream-reading connections (by name)` };
}

/**
 * A stream reader has no output buffer for Redis to overflow (XREAD replies what it asks for; the backlog stays in
 * the stream), so the stall lasts the whole DURATION and Redis closes nothing: what is measured is the catch-up.
 */
async function stallStreamReader(fault: FaultSpec, deps: InjectionDeps): Promise<InjectionOutcome> {
  const { targetWorker } = deps;
  const os = requireOs(targetWorker, 'slow-consumer');
  os.suspend('SIGSTOP');
  try {
    await abortableDelay(fault.durationMs, deps.signal);
  } finally {
    os.suspend('SIGCONT');
  }
  return {
    detail: `worker ${targetWorker.index} stopped ${fault.durationMs} ms reading the stream (a stream reader has no output buffer to overflow: Redis closed nothing); worker continued`,
  };
}

/** Why the run's Redis cannot take this fault, or undefined when it can. */
export function redisCannotTake(kind: FaultKind, redisVersion: string): string | undefined {
  if (kind === 'pause-redis-writes' && !redisAtLeast(redisVersion, CLIENT_PAUSE_MODES_SINCE)) {
    return `--fault pause-redis-writes needs Redis >= 6.2 (CLIENT PAUSE ... WRITE); this Redis is ${redisVersion}: use pause-redis or a newer Redis`;
  }
  return undefined;
}

function requireTopology(deps: InjectionDeps, kind: FaultKind): PrivateTopology {
  if (!deps.topology) {
    throw new Error(
      `${kind} needs the private topology the harness starts (--topology=sentinel or cluster), and this run has none`,
    );
  }
  return deps.topology;
}

function requireControl(deps: InjectionDeps): ControlConnection {
  if (!deps.control) throw new Error('no control connection to Redis was opened for this fault');
  return deps.control;
}

/** Puts the saved client-output-buffer-limit back (on a fresh connection if need be); the reason when it could not. */
async function restoreLimit(control: ControlConnection, saved: string | undefined): Promise<string | undefined> {
  if (saved === undefined) return 'CONFIG GET returned no value';
  try {
    await (await control.get()).call('CONFIG', 'SET', 'client-output-buffer-limit', saved);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function msSince(fromUs: number, nowUs: () => number): number {
  return Math.round((nowUs() - fromUs) / 1000);
}

/** True when `version` ("7.0.15") is at least `minimum` ([6, 2, 0]); an unreadable version counts as new enough. */
export function redisAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map((part) => Number.parseInt(part, 10));
  if (parts.some((part) => Number.isNaN(part))) return true;
  for (let index = 0; index < minimum.length; index += 1) {
    const have = parts[index] ?? 0;
    const need = minimum[index] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}
