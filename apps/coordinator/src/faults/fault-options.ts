// Checks --fault, --fault-target and --fault-seed against the rest of the run's options (each value is already valid alone).
import { type HarnessOptions, localWorkerCount } from '../config/harness-options.js';
import { LAUNCHER_KINDS, launcherKindOf } from '../fleet/launcher-kinds.js';
import { FAULT_KINDS, faultFitsTopology } from '../model/fault-kinds.js';
import { checkFaultTimes, formatFault, targetsWorker } from './parse-fault.js';

/** A one-line reason naming the option and the fix, or undefined when the fault plan fits the run. */
export function faultPlanProblem(
  options: Pick<
    HarnessOptions,
    | 'faults'
    | 'durationMs'
    | 'redisUrl'
    | 'topology'
    | 'mode'
    | 'isolate'
    | 'compareModes'
    | 'procs'
    | 'expectWorkers'
    | 'faultTarget'
  >,
  given: Readonly<Record<string, unknown>>,
): string | undefined {
  const faults = options.faults ?? [];
  if (faults.length > 0 && given['find-max'] === true) {
    return '--fault does not apply with --find-max: a fault would hit every step of the search; drop one of them';
  }
  if (given['fault-target'] !== undefined && !targetsWorker(faults)) {
    return '--fault-target names the worker a worker fault hits, and no --fault hits a worker (such as stop-worker@5s:1s); add one or drop --fault-target';
  }
  if (given['fault-seed'] !== undefined && (!targetsWorker(faults) || given['fault-target'] !== undefined)) {
    return '--fault-seed picks the worker a worker fault hits when --fault-target is not given; drop --fault-seed, or give a worker fault without --fault-target';
  }
  // --compare-modes runs threads too.
  const kinds = options.compareModes === true ? (['procs', 'threads'] as const) : [launcherKindOf(options)];
  const signals = faults.find((fault) => FAULT_KINDS[fault.kind].signalsWorker === true);
  if (signals !== undefined && kinds.some((kind) => !LAUNCHER_KINDS[kind].osControl)) {
    return `--fault ${formatFault(signals)} stops a worker process with SIGSTOP, and a worker thread cannot be stopped alone (it would stop every instance); drop it, or run --mode=procs`;
  }
  const remote = options.expectWorkers ?? 0;
  const local = localWorkerCount(options);
  if (signals !== undefined && remote > 0 && !(options.faultTarget !== undefined && options.faultTarget < local)) {
    const aim = local > 0 ? `, or aim it at a local worker with --fault-target 0..${local - 1}` : '';
    return `--fault ${formatFault(signals)} signals the target worker's process (SIGSTOP), and ${LAUNCHER_KINDS.remote.describe(remote)} run on other hosts where no signal of the coordinator reaches; drop it${aim}`;
  }
  const needsPrivate = faults.find((fault) => FAULT_KINDS[fault.kind].needs === 'private-redis');
  if (needsPrivate !== undefined && options.redisUrl !== undefined) {
    return `--fault ${formatFault(needsPrivate)} stops and starts the private redis-server the harness runs, not a Redis named by --redis or REDIS_URL; drop the URL (unset REDIS_URL) or this fault`;
  }
  if (needsPrivate !== undefined && options.topology !== undefined) {
    return `--fault ${formatFault(needsPrivate)} stops and starts the one private redis-server of a standalone run, and --topology=${options.topology} runs several; use kill-master or failover, or drop --topology`;
  }
  const needsTopology = faults.find((fault) => FAULT_KINDS[fault.kind].needs === 'private-topology');
  if (needsTopology !== undefined && (options.topology === undefined || options.redisUrl !== undefined)) {
    const why =
      options.redisUrl === undefined
        ? 'and this run has one redis-server'
        : 'not a Redis named by --redis or REDIS_URL';
    return `--fault ${formatFault(needsTopology)} hits a master of the private Sentinel group or Cluster the harness starts, ${why}; add --topology=sentinel or --topology=cluster (without --redis/REDIS_URL) or drop this fault`;
  }
  const topology = options.topology ?? 'standalone';
  const elsewhere = faults.find((fault) => !faultFitsTopology(fault.kind, topology));
  if (elsewhere !== undefined) {
    const fits = FAULT_KINDS[elsewhere.kind].topologies?.join(' or ') ?? '';
    const why =
      topology === 'cluster' && FAULT_KINDS[elsewhere.kind].needs === 'redis-control'
        ? ' (it acts on one Redis server, and a Cluster has six: use kill-node, kill-master or failover)'
        : '';
    return `--fault ${formatFault(elsewhere)} applies to a ${fits} topology, not to --topology=${topology}${why}; drop this fault or change --topology`;
  }
  return checkFaultTimes(faults, options.durationMs);
}
