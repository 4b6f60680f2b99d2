// The harness-free floor, run as one bench arm: N plain processes (@evbridge/worker/floor-main) on the same Redis,
// schedule, pacer and payload as the harness's workers, with none of the harness around them. They run on Node's
// defaults, as a user's service does: the workers' own flags (@evbridge/protocol's worker-flags.ts) are a harness choice, so
// what they cost or save shows in raw/floor like the rest of the harness.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { channelFor } from '@evbridge/bridge';
import { LatencyRecorder } from '@evbridge/metrics';
import {
  monotonicNowUs,
  parseFloorChildMessage,
  type FloorChildMessage,
  type FloorParentMessage,
  type FloorResult,
} from '@evbridge/protocol';
import { MB, latencyFigures } from './figures.js';
import type { RunFigures } from './metrics.js';
import type { RunSettings } from './plan.js';

export const FLOOR_ENTRY = fileURLToPath(import.meta.resolve('@evbridge/worker/floor-main'));
/** Each process has this long to connect and subscribe, and to report once its last event was due and drained. */
const READY_TIMEOUT_MS = 15_000;
const RESULT_GRACE_MS = 15_000;
/** After the last event is due: long enough for what is in flight to arrive. */
const DRAIN_MS = 1_000;
/** Between everyone's ready and the first event, so every process has its start before t0. */
const START_LEAD_US = 200_000;

export interface FloorRun {
  figures: RunFigures;
  pids: number[];
  /** Measured events published, received by the other processes, and expected there (published x (procs - 1)). */
  counts: { published: number; received: number; expected: number };
}

/** One floor run of `procs` processes; every process it started is gone when it resolves or rejects. */
export async function runFloor(
  procs: number,
  settings: RunSettings,
  redisUrl: string,
  signal: AbortSignal,
): Promise<FloorRun> {
  const channel = channelFor(`evbridge:floor:${randomBytes(6).toString('hex')}`);
  const children = Array.from({ length: procs }, () =>
    fork(FLOOR_ENTRY, [], { execArgv: [], serialization: 'json', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  const inboxes = children.map(inboxOf);
  const abort = (): void => {
    for (const child of children) child.kill('SIGKILL');
  };
  signal.addEventListener('abort', abort, { once: true });
  try {
    for (const [index, child] of children.entries()) {
      send(child, {
        type: 'configure',
        index,
        rateEventsPerSec: settings.rateEventsPerSec / procs,
        payloadBytes: settings.payloadBytes,
        redisUrl,
        channel,
        pacer: settings.pacer,
      });
    }
    await Promise.all(inboxes.map((inbox) => inbox.next('ready', READY_TIMEOUT_MS)));
    const t0Us = monotonicNowUs() + START_LEAD_US;
    const measureStartUs = t0Us + settings.warmupMs * 1000;
    const measureEndUs = measureStartUs + settings.durationMs * 1000;
    for (const child of children) send(child, { type: 'start', t0Us, measureStartUs, measureEndUs, drainMs: DRAIN_MS });
    const resultTimeoutMs = (measureEndUs - monotonicNowUs()) / 1000 + DRAIN_MS + RESULT_GRACE_MS;
    const results = (await Promise.all(inboxes.map((inbox) => inbox.next('result', resultTimeoutMs)))) as FloorResult[];
    const counts = floorCounts(results, procs);
    return {
      figures: floorFigures(results, counts, settings.durationMs),
      pids: children.map((child) => child.pid ?? 0),
      counts,
    };
  } finally {
    signal.removeEventListener('abort', abort);
    abort();
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise((resolve) => child.once('exit', resolve)),
      ),
    );
  }
}

/**
 * The bench figures of a floor run. CPU is each process's user + system time from the start of the measured window
 * to its result (the drain included, as the harness's window sample includes stop and drain); RSS is each process's
 * largest reading, once a second from ready, as the harness's workers take theirs; IPC is not measured (the floor
 * sends one message).
 */
export function floorFigures(
  results: readonly FloorResult[],
  counts: FloorRun['counts'],
  durationMs: number,
): RunFigures {
  const merge = (pick: (result: FloorResult) => string): LatencyRecorder => {
    const merged = new LatencyRecorder();
    for (const result of results) merged.add(LatencyRecorder.decode(pick(result)));
    return merged;
  };
  const latency = merge((result) => result.latencyUs).summary();
  const transit = merge((result) => result.transitUs).summary();
  const sendLag = merge((result) => result.sendLagUs).summary();
  const { published, received, expected } = counts;
  const seconds = durationMs / 1000;
  return {
    ...latencyFigures(latency, transit, sendLag, { received: latency.count, published: sendLag.count }),
    publishedEventsPerSec: Math.round((published / seconds) * 10) / 10,
    deliveredEventsPerSec: Math.round((received / seconds) * 10) / 10,
    deliveryRatio: expected === 0 ? null : received / expected,
    cpuUsPerDelivered: received > 0 ? results.reduce((sum, result) => sum + result.cpuUs, 0) / received : null,
    rssPeakMeanMb: results.reduce((sum, result) => sum + result.peakRssBytes, 0) / results.length / MB,
    rssPeakMaxMb: Math.max(...results.map((result) => result.peakRssBytes)) / MB,
    ipcMessagesPerWorkerPerSec: null,
  };
}

/** Measured events published and received over all processes, and the receipts expected: published x (procs - 1). */
function floorCounts(results: readonly FloorResult[], procs: number): FloorRun['counts'] {
  const published = results.reduce((sum, result) => sum + result.published, 0);
  const received = results.reduce((sum, result) => sum + result.received, 0);
  return { published, received, expected: published * (procs - 1) };
}

function send(child: ChildProcess, message: FloorParentMessage): void {
  child.send(message);
}

/** The messages of one floor process in arrival order; next() waits for one of a type, or fails on error/exit/timeout. */
function inboxOf(child: ChildProcess) {
  const queue: FloorChildMessage[] = [];
  let wake: (() => void) | undefined;
  let ended: string | undefined;
  child.on('message', (raw: unknown) => {
    const message = parseFloorChildMessage(raw);
    if (message === undefined) ended ??= `floor process ${child.pid} sent an invalid message`;
    else queue.push(message);
    wake?.();
  });
  child.once('exit', (code, signal) => {
    ended ??= `floor process ${child.pid} exited (${signal ?? `code ${code}`})`;
    wake?.();
  });
  return {
    async next(type: 'ready' | 'result', timeoutMs: number): Promise<FloorChildMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex((message) => message.type === type || message.type === 'error');
        if (index >= 0) {
          const message = queue.splice(index, 1)[0]!;
          if (message.type === 'error') throw new Error(`floor process ${child.pid}: ${message.message}`);
          return message;
        }
        if (ended !== undefined) throw new Error(ended);
        const leftMs = deadline - Date.now();
        if (leftMs <= 0)
          throw new Error(`floor process ${child.pid} sent no "${type}" within ${Math.round(timeoutMs)} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, leftMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
  };
}
