// Whether a fault's losses and duplicates are what Redis allows after that kind of fault (pub/sub, or Streams with
// --delivery=at-least-once), and why.
import { faultAllows, type FaultDelivery, type FaultKind, whyNoDuplicates, whyNoLoss } from '../model/fault-kinds.js';
import type { FaultOutcome } from './fault-analysis-types.js';

export function verdictOf(
  kind: FaultKind,
  outcome: FaultOutcome,
  delivery: FaultDelivery = 'at-most-once',
): FaultOutcome['verdict'] {
  const allows = faultAllows(kind, delivery);
  const parts: string[] = [];
  let allowed = true;
  if (outcome.lost === 0) parts.push('nothing lost');
  else if (allows.loss !== null) parts.push(`${outcome.lost} lost, allowed: ${allows.loss}`);
  else {
    allowed = false;
    parts.push(`${outcome.lost} lost, not allowed: ${whyNoLoss(kind, delivery)}`);
  }
  if (outcome.duplicates === 0) parts.push('no duplicates');
  else if (allows.duplicates !== null) parts.push(`${outcome.duplicates} duplicates, allowed: ${allows.duplicates}`);
  else {
    allowed = false;
    parts.push(`${outcome.duplicates} duplicates, not allowed: ${whyNoDuplicates(kind, delivery)}`);
  }
  return { allowed, explanation: parts.join('; ') };
}
