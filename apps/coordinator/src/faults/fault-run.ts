// A run's faults: prepared before measuring (control connection, checks), scheduled from the measurement start,
// stopped on finish, and reported as FaultRecord[].
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { HarnessOptions } from '../cli/harness-options.js';
import { HARNESS_DEFAULTS } from '../cli/defaults.js';
import type { Fleet } from '../fleet/fleet.js';
import type { FaultRecord, FaultTarget, RedisInfo } from '../report/types.js';
import type { WorkerRecord } from '../run/context.js';
import { FAULT_KINDS } from './fault-kinds.js';
import { INJECTIONS, redisCannotTake, type InjectionDeps } from './fault-injection.js';
import { FaultScheduler, systemSchedulerClock, type SchedulerClock } from './fault-scheduler.js';
import { formatFault, type FaultSpec } from './parse-fault.js';

export interface FaultRunContext {
  options: Pick<HarnessOptions, 'faults' | 'faultTarget'>;
  fleet: Fleet;
  records: readonly WorkerRecord[];
  logger: Logger;
}

/** How long opening the control connection to Redis may take. */
const CONTROL_CONNECT_TIMEOUT_MS = 5000;

export class FaultRun {
  readonly #scheduler: FaultScheduler<FaultSpec>;
  #measureStartUs: number | undefined;

  private constructor(
    private readonly context: FaultRunContext,
    private readonly redis: { info: RedisInfo; control: Redis | undefined },
    private readonly targetIndex: number,
    clock: SchedulerClock,
  ) {
    const deps: InjectionDeps = {
      targetWorker: context.fleet.workers[targetIndex]!,
      redis: redis.control,
      redisVersion: redis.info.version,
    };
    this.#scheduler = new FaultScheduler(
      context.options.faults ?? [],
      async (fault) => {
        await INJECTIONS[fault.kind](fault, deps);
        context.logger.info({ fault: formatFault(fault), target: this.#describeTarget(fault) }, `injected fault ${formatFault(fault)}`);
      },
      clock,
    );
  }

  /**
   * Checks the faults against this run and opens what injecting them needs, before anything is measured.
   * Rejects with a one-line reason naming the fix.
   */
  static async prepare(
    context: FaultRunContext,
    redis: { url: string; info: RedisInfo },
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
    }
    const needsRedis = faults.some((fault) => FAULT_KINDS[fault.kind].target === 'redis');
    const control = needsRedis ? await openControl(redis.url) : undefined;
    return new FaultRun(context, { info: redis.info, control }, targetIndex, clock);
  }

  /** Starts the clock of every fault: each is injected at measureStartUs + its TIME. */
  start(measureStartUs: number): void {
    this.#measureStartUs = measureStartUs;
    this.#scheduler.start(measureStartUs);
  }

  /** Cancels faults not yet due, waits for injections in progress, closes the control connection. Never throws. */
  async stop(): Promise<void> {
    await this.#scheduler.stop();
    this.redis.control?.disconnect();
  }

  /** The faults as the report shows them, in plan order. */
  records(): FaultRecord[] {
    const planned = this.context.options.faults ?? [];
    const entries = this.#scheduler.entries;
    return planned.map((fault, index) => {
      const entry = entries[index];
      const injectedAtUs = entry?.injectedAtUs ?? null;
      const status = entry?.status;
      return {
        kind: fault.kind,
        target: this.#target(fault),
        atMs: fault.atMs,
        durationMs: fault.durationMs,
        injectedAtMs:
          injectedAtUs === null || this.#measureStartUs === undefined ? null : Math.round((injectedAtUs - this.#measureStartUs) / 1000),
        status: status === 'injected' || status === 'failed' ? status : status === 'injecting' ? 'failed' : 'not-reached',
        error: entry?.error ?? (status === 'injecting' ? 'the injection did not complete' : null),
      };
    });
  }

  /** One line per fault that could not be injected. */
  failures(): string[] {
    return this.records()
      .filter((record) => record.status === 'failed')
      .map((record) => `fault ${formatFault(record)} could not be injected: ${record.error ?? 'unknown error'}`);
  }

  #target(fault: FaultSpec): FaultTarget {
    if (FAULT_KINDS[fault.kind].target === 'redis') return { type: 'redis', url: this.redis.info.url };
    const record = this.context.records[this.targetIndex];
    return { type: 'worker', index: this.targetIndex, pid: record?.pid ?? 0, instanceId: record?.instanceId ?? '' };
  }

  #describeTarget(fault: FaultSpec): string {
    const target = this.#target(fault);
    return target.type === 'redis' ? `redis ${target.url}` : `worker ${target.index} (pid ${target.pid})`;
  }
}

async function openControl(url: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONTROL_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    const cause = lastError ?? error;
    throw new Error(`could not open the control connection to Redis that --fault needs: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
