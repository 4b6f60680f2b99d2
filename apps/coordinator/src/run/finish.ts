// Phase finish: stop publishing, drain until every expected event arrived (or the deadline), collect finals.
import type { WorkerHandle } from '../fleet/worker-handle.js';
import type { RunContext } from './context.js';

export interface FinishTimeouts {
  stopMs: number;
  drainMs: number;
}

/**
 * Asks every live worker to stop, then to drain and report. Keeps whatever each worker delivers: one worker's
 * failure never loses another's data. Returns the failures met on the way.
 */
export async function finish(context: RunContext, timeouts: FinishTimeouts): Promise<Error[]> {
  const live = context.fleet.workers.filter((worker) => !worker.exit);
  const failures: Error[] = [];
  const stoppedBy = await settle(live, failures, async (worker) => {
    await worker.send({ type: 'stop' });
    context.records[worker.index]!.stopped = await worker.next('stopped', timeouts.stopMs);
    return worker;
  });
  const expectLastSeq: Record<string, number> = {};
  for (const record of context.records) {
    if (record.instanceId && record.stopped) expectLastSeq[record.instanceId] = record.stopped.lastMeasuredSeq;
  }
  await settle(stoppedBy, failures, async (worker) => {
    await worker.send({ type: 'drain', expectLastSeq, timeoutMs: timeouts.drainMs });
    context.records[worker.index]!.final = await worker.next('final', timeouts.drainMs + timeouts.stopMs);
    return worker;
  });
  return failures;
}

async function settle(
  workers: readonly WorkerHandle[],
  failures: Error[],
  step: (worker: WorkerHandle) => Promise<WorkerHandle>,
): Promise<WorkerHandle[]> {
  const results = await Promise.allSettled(workers.map(step));
  const ok: WorkerHandle[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') ok.push(result.value);
    else failures.push(result.reason instanceof Error ? result.reason : new Error(String(result.reason)));
  }
  return ok;
}
