// A run's faults: prepared before measuring (control connection, checks, trace collection), scheduled from the
// measurement start, stopped on finish (whatever a fault still holds is let go), and reported.
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { HarnessOptions } from '../config/harness-options.js';
import type { DeliveryName } from '../config/option-names.js';
import { HARNESS_DEFAULTS } from '../config/defaults.js';
import type { Fleet } from '../fleet/fleet.js';
import type { FaultRecord, FaultTarget, RedisInfo } from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';
import { notInjected, type AnalysisFault } from './fault-analysis.js';
import { ControlConnection } from './control-connection.js';
import { FAULT_KINDS } from '../model/fault-kinds.js';
import {
  INJECTIONS,
  redisCannotTake,
  type InjectionDeps,
  type InjectionOutcome,
  type RestartableRedis,
} from './fault-injection.js';
import type { PrivateTopology } from '../redis/topology.js';
import { FaultScheduler, systemSchedulerClock, type SchedulerClock } from './fault-scheduler.js';
import type { FaultSpec } from '../config/fault-spec.js';
import { formatFault } from './parse-fault.js';
import { WorkerTrace } from './worker-trace.js';

export interface FaultRunContext {
  options: Pick<HarnessOptions, 'faults' | 'faultTarget' | 'faultSeed' | 'delivery'>;
  fleet: Fleet;
  records: readonly WorkerRecord[];
  logger: Logger;
}

/** The run's Redis as the faults see it. */
export interface FaultRunRedis {
  url: string;
  info: RedisInfo;
  /** ioredis options every coordinator connection adds to `url` (a TLS CA). */
  clientOptions?: RedisOptions;
  /** The private redis-server, which restart-redis stops and starts; undefined with a user's Redis. */
  restartable?: RestartableRedis;
  /** The private Sentinel group or Cluster, which kill-master and failover hit; undefined otherwise. */
  topology?: PrivateTopology;
}

/** What buildReport needs to report the faults (see fault-analysis.ts). */
export interface FaultRunReport {
  /** One per planned fault, in plan order; the analysis fields hold their "nothing seen" values until analysed. */
  records: FaultRecord[];
  /** The same faults, timed on the coordinator's clock. */
  timings: AnalysisFault[];
  /** Each worker's trace, by index. */
  traces: readonly WorkerTrace[];
  /** Workers a fault killed on purpose: index -> the fault. */
  killed: ReadonlyMap<number, string>;
  measureStartUs: number;
  measureEndUs: number;
  /** --delivery, which the verdicts hold the losses to. */
  delivery: DeliveryName;
}

interface Injected {
  outcome: InjectionOutcome | undefined;
  endedAtUs: number;
}

export class FaultRun {
  readonly #scheduler: FaultScheduler<FaultSpec>;
  readonly #abort = new AbortController();
  readonly #injected = new Map<FaultSpec, Injected>();
  readonly #killed = new Map<number, string>();
  readonly #traces: WorkerTrace[];
  #measureUs: { startUs: number; endUs: number } | undefined;

  private constructor(
    private readonly context: FaultRunContext,
    private readonly redis: FaultRunRedis,
    private readonly control: ControlConnection | undefined,
    private readonly targetIndex: number,
    private readonly clock: SchedulerClock,
  ) {
    this.#traces = context.fleet.workers.map(() => new WorkerTrace());
    for (const [index, worker] of context.fleet.workers.entries()) {
      worker.onStats((stats) => this.#traces[index]!.add(stats.trace));
    }
    this.#scheduler = new FaultScheduler(context.options.faults ?? [], (fault) => this.#inject(fault), clock);
  }

  /**
   * Checks the faults against this run and opens what injecting them needs, before anything is measured.
   * Rejects with a one-line reason naming the fix.
   */
  static async prepare(
    context: FaultRunContext,
    redis: FaultRunRedis,
    clock: SchedulerClock = systemSchedulerClock,
  ): Promise<FaultRun> {
    const faults = context.options.faults ?? [];
    const targetIndex = context.options.faultTarget ?? HARNESS_DEFAULTS.faultTarget;
    if (context.fleet.workers[targetIndex] === undefined) {
      throw new RangeError(`--fault-target ${targetIndex} names no worker: the run has ${context.fleet.size}`);
    }
    for (const fault of faults) {
      const reason = redisCannotTake(fault.kind, redis.info.version);
      if (reason !== undefined) throw new Error(reason);
      if (FAULT_KINDS[fault.kind].needs === 'private-redis' && redis.restartable === undefined) {
        throw new Error(
          `--fault ${formatFault(fault)} stops and starts the private redis-server, and this run uses ${redis.info.url}: drop --redis/REDIS_URL or this fault`,
        );
      }
      if (FAULT_KINDS[fault.kind].needs === 'private-topology' && redis.topology === undefined) {
        throw new Error(
          `--fault ${formatFault(fault)} hits the master of a private topology, and this run uses ${redis.info.url}: add --topology=sentinel without --redis/REDIS_URL, or drop this fault`,
        );
      }
    }
    const needsControl = faults.some((fault) => FAULT_KINDS[fault.kind].needs === 'redis-control');
    const control = needsControl ? new ControlConnection(redis.url, redis.clientOptions) : undefined;
    // Opened now, so the first injection is on time.
    await control?.get();
    return new FaultRun(context, redis, control, targetIndex, clock);
  }

  /** Starts the clock of every fault: each is injected at measureStartUs + its TIME. */
  start(measureStartUs: number, measureEndUs: number): void {
    this.#measureUs = { startUs: measureStartUs, endUs: measureEndUs };
    this.#scheduler.start(measureStartUs);
  }

  /**
   * Cancels faults not yet due, lets go of what one in progress holds (a stopped worker continues, a Redis down
   * starts again), waits for it, closes the control connection. Never throws.
   */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#scheduler.stop();
    this.control?.close();
  }

  /** Workers a fault killed on purpose (their exit is no failure): index -> the fault. */
  killedWorkers(): ReadonlyMap<number, string> {
    return this.#killed;
  }

  /** The faults as the report shows them, in plan order, before analysis. */
  records(): FaultRecord[] {
    const planned = this.context.options.faults ?? [];
    const entries = this.#scheduler.entries;
    return planned.map((fault, index) => {
      const entry = entries[index];
      const injectedAtUs = entry?.injectedAtUs ?? null;
      const status = entry?.status;
      const injected = this.#injected.get(fault);
      return {
        kind: fault.kind,
        target: this.#target(fault),
        atMs: fault.atMs,
        durationMs: fault.durationMs,
        injectedAtMs: this.#msAfterStart(injectedAtUs),
        endedAtMs: this.#msAfterStart(injected?.endedAtUs ?? null),
        status:
          status === 'injected' || status === 'failed' ? status : status === 'injecting' ? 'failed' : 'not-reached',
        error: entry?.error ?? (status === 'injecting' ? 'the injection did not complete' : null),
        detail: injected?.outcome?.detail ?? null,
        ...notInjected(),
      };
    });
  }

  /** One line per fault that could not be injected. */
  failures(): string[] {
    return this.records()
      .filter((record) => record.status === 'failed')
      .map((record) => `fault ${formatFault(record)} could not be injected: ${record.error ?? 'unknown error'}`);
  }

  /** Everything the report needs; reads the workers' stopped and final messages, so call it after finish. */
  report(): FaultRunReport {
    this.context.records.forEach((record, index) => {
      this.#traces[index]!.add(record.stopped?.trace);
      this.#traces[index]!.add(record.final?.trace);
    });
    const planned = this.context.options.faults ?? [];
    const entries = this.#scheduler.entries;
    const measure = this.#measureUs ?? { startUs: 0, endUs: 0 };
    return {
      records: this.records(),
      timings: planned.map((fault, index) => ({
        kind: fault.kind,
        durationMs: fault.durationMs,
        injectedAtUs: entries[index]?.injectedAtUs ?? null,
        endedAtUs: this.#injected.get(fault)?.endedAtUs ?? null,
      })),
      traces: this.#traces,
      killed: this.#killed,
      measureStartUs: measure.startUs,
      measureEndUs: measure.endUs,
      delivery: this.context.options.delivery ?? HARNESS_DEFAULTS.delivery,
    };
  }

  async #inject(fault: FaultSpec): Promise<void> {
    const target = this.context.fleet.workers[this.targetIndex]!;
    const deps: InjectionDeps = {
      targetWorker: target,
      connections: this.context.records.map((record) => record.connections ?? []),
      control: this.control,
      redisVersion: this.redis.info.version,
      privateRedis: this.redis.restartable,
      delivery: this.context.options.delivery ?? HARNESS_DEFAULTS.delivery,
      topology: this.redis.topology,
      signal: this.#abort.signal,
      nowUs: () => this.clock.nowUs(),
    };
    if (fault.kind === 'kill-worker') this.#killed.set(this.targetIndex, formatFault(fault));
    try {
      const outcome = await INJECTIONS[fault.kind](fault, deps);
      this.#injected.set(fault, { outcome, endedAtUs: this.clock.nowUs() });
      this.context.logger.info(
        { fault: formatFault(fault), target: this.#describeTarget(fault), detail: outcome.detail },
        `injected fault ${formatFault(fault)}: ${outcome.detail}`,
      );
    } catch (error) {
      this.#injected.set(fault, { outcome: undefined, endedAtUs: this.clock.nowUs() });
      if (fault.kind === 'kill-worker' && !target.exit) this.#killed.delete(this.targetIndex);
      throw error;
    }
  }

  #msAfterStart(atUs: number | null): number | null {
    if (atUs === null || this.#measureUs === undefined) return null;
    return Math.round((atUs - this.#measureUs.startUs) / 1000);
  }

  #target(fault: FaultSpec): FaultTarget {
    if (FAULT_KINDS[fault.kind].target === 'redis') return { type: 'redis', url: this.redis.info.url };
    const record = this.context.records[this.targetIndex];
    const seed = this.context.options.faultSeed;
    return {
      type: 'worker',
      index: this.targetIndex,
      pid: record?.pid ?? 0,
      instanceId: record?.instanceId ?? '',
      chosenBy: seed === undefined ? 'option' : 'seed',
      seed: seed ?? null,
    };
  }

  #describeTarget(fault: FaultSpec): string {
    const target = this.#target(fault);
    return target.type === 'redis' ? `redis ${target.url}` : `worker ${target.index} (pid ${target.pid})`;
  }
}
