// One --fault as the user asked for it, parsed (faults/parse-fault.ts reads and writes its text).
import type { FaultKind } from '../model/fault-kinds.js';

/** One fault as the user asked for it. */
export interface FaultSpec {
  kind: FaultKind;
  /** When to inject it, whole milliseconds after measurement starts. */
  atMs: number;
  /** How long it lasts, whole milliseconds (0 for an instant fault). */
  durationMs: number;
}
