// Identity collisions, when instances shared an id: what collided and what the self-filters did about it.

import type { Report } from '../model/report.js';
import { formatInteger } from './format.js';
import type { Style } from './style.js';

/** No lines when every instance had its own id and no bridge reported a collision. */
export function identitySection(report: Report, style: Style): string[] {
  const identity = report.identity;
  if (identity === undefined) return [];
  if (identity.collisions.length === 0 && identity.bridgesReportingCollision.length === 0) return [];
  const lines = [style.heading(`Identity collision (scheme: ${identity.scheme})`)];
  for (const collision of identity.collisions) {
    lines.push(style.bad(`  workers ${collision.workers.join(', ')} share instance id "${collision.instanceId}"`));
  }
  lines.push(
    style.bad(
      `  their self-filters dropped ${formatInteger(identity.peerEventsDroppedAsOwn)} of their peers' measured events as their own echoes`,
    ),
  );
  const reporting = identity.bridgesReportingCollision;
  lines.push(
    reporting.length === 0
      ? '  no bridge reported the collision at run time'
      : `  bridges that reported it at run time (their 'collision' event): workers ${reporting.join(', ')}`,
  );
  return lines;
}
