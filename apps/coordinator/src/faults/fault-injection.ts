// How each fault kind is injected: one function per kind, given the fleet and a control connection to Redis.
import type { Redis } from 'ioredis';
import type { WorkerHandle } from '../fleet/worker-handle.js';
import type { FaultKind } from './fault-kinds.js';
import type { FaultSpec } from './parse-fault.js';

/** What an injection may touch. */
export interface InjectionDeps {
  /** The worker that worker faults hit. */
  targetWorker: WorkerHandle;
  /** A connected control client on the run's Redis; undefined when no fault needs one. */
  redis: Redis | undefined;
  /** The run's Redis version ("7.0.15"), to choose command forms. */
  redisVersion: string;
}

type Inject = (fault: FaultSpec, deps: InjectionDeps) => Promise<void>;

/** CLIENT PAUSE takes a mode (ALL, WRITE) from Redis 6.2; before that every pause is ALL. */
export const CLIENT_PAUSE_MODES_SINCE: readonly number[] = [6, 2, 0];

export const INJECTIONS = {
  'block-worker': async (fault, { targetWorker }) => {
    await targetWorker.send({ type: 'fault', kind: 'block', durationMs: fault.durationMs });
  },
  'pause-redis': async (fault, deps) => {
    const mode = redisAtLeast(deps.redisVersion, CLIENT_PAUSE_MODES_SINCE) ? ['ALL'] : [];
    await requireRedis(deps).call('CLIENT', 'PAUSE', String(fault.durationMs), ...mode);
  },
  'pause-redis-writes': async (fault, deps) => {
    await requireRedis(deps).call('CLIENT', 'PAUSE', String(fault.durationMs), 'WRITE');
  },
} as const satisfies Record<FaultKind, Inject>;

/** Why the run's Redis cannot take this fault, or undefined when it can. */
export function redisCannotTake(kind: FaultKind, redisVersion: string): string | undefined {
  if (kind === 'pause-redis-writes' && !redisAtLeast(redisVersion, CLIENT_PAUSE_MODES_SINCE)) {
    return `--fault pause-redis-writes needs Redis >= 6.2 (CLIENT PAUSE ... WRITE); this Redis is ${redisVersion}: use pause-redis or a newer Redis`;
  }
  return undefined;
}

function requireRedis(deps: InjectionDeps): Redis {
  if (!deps.redis) throw new Error('no control connection to Redis was opened for this fault');
  return deps.redis;
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
