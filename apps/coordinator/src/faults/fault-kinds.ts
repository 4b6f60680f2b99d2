// The fault kinds --fault accepts: one table says what each one hits and whether it takes a duration.

/** Where a fault lands: one worker process (chosen by --fault-target), or the run's Redis. */
export type FaultTargetKind = 'worker' | 'redis';

export interface FaultKindSpec {
  target: FaultTargetKind;
  /** `required`: KIND@TIME:DURATION; `none`: KIND@TIME (an instant fault, such as a kill). */
  duration: 'required' | 'none';
  /** One line for --help and the report. */
  description: string;
}

const KINDS = {
  'block-worker': {
    target: 'worker',
    duration: 'required',
    description: 'the target worker blocks its own event loop for DURATION (a long GC pause, a CPU-bound handler)',
  },
  'pause-redis': {
    target: 'redis',
    duration: 'required',
    description: 'CLIENT PAUSE DURATION ALL: Redis serves no client for DURATION',
  },
  'pause-redis-writes': {
    target: 'redis',
    duration: 'required',
    description: 'CLIENT PAUSE DURATION WRITE: Redis holds writes and PUBLISH for DURATION (Redis >= 6.2)',
  },
} as const satisfies Record<string, FaultKindSpec>;

export type FaultKind = keyof typeof KINDS;

/** Adding a kind: a row here, its injection in fault-injection.ts, and a test. */
export const FAULT_KINDS: Readonly<Record<FaultKind, FaultKindSpec>> = KINDS;

export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKind[];

export function isFaultKind(name: string): name is FaultKind {
  return Object.hasOwn(FAULT_KINDS, name);
}

/** The form of one kind, for messages: "block-worker@TIME:DURATION". */
export function faultForm(kind: FaultKind): string {
  return FAULT_KINDS[kind].duration === 'required' ? `${kind}@TIME:DURATION` : `${kind}@TIME`;
}
