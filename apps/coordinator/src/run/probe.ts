// Phase probe: proves readiness end to end: every instance must hear every other before the clock starts.
import { guard, type RunContext } from './context.js';

const PROBE_INTERVAL_MS = 100;

export async function probeRound(context: RunContext): Promise<void> {
  const instanceIds = context.records.map((record) => record.instanceId!);
  await guard(context, context.fleet.broadcast({ type: 'probe', instanceIds, intervalMs: PROBE_INTERVAL_MS }));
  await guard(context, context.fleet.collect('probed', context.options.readyTimeoutMs));
}
