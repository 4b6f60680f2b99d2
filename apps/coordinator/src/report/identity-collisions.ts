// Instance ids more than one instance reported: each of those bridges would drop the others' events as its own echoes.
// What the run stops with when it finds them, and what the report says of the ids.
import type { HarnessOptions } from '../config/harness-options.js';
import type { IdentityInfo, InstanceRow } from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';
import { LAUNCHER_KINDS, launcherKindOf } from '../fleet/launcher-kinds.js';

export interface IdentityCollision {
  instanceId: string;
  /** Worker indexes sharing the id, ascending. */
  workers: number[];
}

export function findCollisions(records: readonly Pick<WorkerRecord, 'index' | 'instanceId'>[]): IdentityCollision[] {
  const byId = new Map<string, number[]>();
  for (const record of records) {
    if (record.instanceId === undefined) continue;
    const list = byId.get(record.instanceId) ?? [];
    list.push(record.index);
    byId.set(record.instanceId, list);
  }
  return [...byId]
    .filter(([, workers]) => workers.length > 1)
    .map(([instanceId, workers]) => ({ instanceId, workers: workers.sort((a, b) => a - b) }));
}

/** Why instances end up sharing an id in this run, in words a user recognises. */
function cause(options: Pick<HarnessOptions, 'mode' | 'isolate' | 'identity'>): string {
  const sharedPid = LAUNCHER_KINDS[launcherKindOf(options)].sharedPid;
  if (options.identity === 'pid' && sharedPid !== undefined)
    return `--identity=pid keys the id on process.pid, and ${sharedPid}`;
  if (options.identity === 'pid')
    return '--identity=pid keys the id on process.pid, and these instances report the same pid';
  return 'these bridges were given the same instance id';
}

/** The one-line error a run stops with (exit 2): what collided, why, what each bridge would do, and the fix. */
export function collisionMessage(
  collisions: readonly IdentityCollision[],
  options: Pick<HarnessOptions, 'mode' | 'isolate' | 'identity'>,
): string {
  const shared = collisions
    .map((c) => `workers ${c.workers.join(', ')} report instance id "${c.instanceId}"`)
    .join('; ');
  return (
    `identity collision: ${shared}. Why: ${cause(options)}, so each bridge would drop its peers' events as its own echoes. ` +
    'Fix: give every bridge a unique instanceId (the default identity host:pid:nonce is; drop --identity=pid), ' +
    'or pass --allow-collisions to run anyway and see delivery collapse'
  );
}

/** What the instance ids were, which collided before measuring, and what the self-filters dropped because of it. */
export function identityInfo(
  scheme: IdentityInfo['scheme'],
  records: readonly WorkerRecord[],
  instances: readonly InstanceRow[],
  collisions: IdentityInfo['collisions'],
): IdentityInfo {
  const peerEventsDroppedAsOwn = instances.reduce(
    (sum, row) => sum + Math.max(0, row.selfEchoesFiltered - row.published),
    0,
  );
  return {
    scheme,
    collisions,
    peerEventsDroppedAsOwn,
    bridgesReportingCollision: records
      .filter((record) => ((record.final?.bridge ?? record.lastStats?.bridge)?.identityCollisions ?? 0) > 0)
      .map((record) => record.index),
  };
}
