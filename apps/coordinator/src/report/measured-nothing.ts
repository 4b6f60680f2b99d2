// A run that measured nothing judges nothing: it fails, and says which of the two things it lacked.
import type { Totals } from '../model/report.js';

/** Why the run measured nothing, or undefined when it measured something: no measured publish, or no peer to reach. */
export function measuredNothing(totals: Pick<Totals, 'published' | 'expectedDeliveries'>): string | undefined {
  if (totals.published === 0) return 'no measured event was published';
  if (totals.expectedDeliveries === 0) return 'no delivery was expected: no measured event had a peer to reach';
  return undefined;
}
