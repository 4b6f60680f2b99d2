// Whether a fault's losses and duplicates are what Redis's pub/sub semantics allow after that kind of fault, and why.
import { FAULT_KINDS, type FaultKind } from '../model/fault-kinds.js';
import type { FaultOutcome } from './fault-analysis-types.js';

export function verdictOf(kind: FaultKind, outcome: FaultOutcome): FaultOutcome['verdict'] {
  const allows = FAULT_KINDS[kind].allows;
  const parts: string[] = [];
  let allowed = true;
  if (outcome.lost === 0) parts.push('nothing lost');
  else if (allows.loss !== null) parts.push(`${outcome.lost} lost, allowed: ${allows.loss}`);
  else {
    allowed = false;
    parts.push(
      `${outcome.lost} lost, not allowed: Redis drops no event through ${kind}, so the loss is the bridge's or the harness's`,
    );
  }
  if (outcome.duplicates === 0) parts.push('no duplicates');
  else if (allows.duplicates !== null) parts.push(`${outcome.duplicates} duplicates, allowed: ${allows.duplicates}`);
  else {
    allowed = false;
    parts.push(
      `${outcome.duplicates} duplicates, not allowed: ${kind} drops no publisher connection, so no PUBLISH was sent twice`,
    );
  }
  return { allowed, explanation: parts.join('; ') };
}
