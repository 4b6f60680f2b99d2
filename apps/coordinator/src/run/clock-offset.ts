// Phase clock: each worker's monotonic clock against the coordinator's: shared (same boot and time namespace: exactly
// 0) or estimated from the quickest of many ping-pongs; then every worker gets the clock table before `configure`.
import { clockDomain, monotonicNowUs, sharesClock, type ClockDomain } from '@evbridge/protocol';
import { WorkerFailure, type WorkerHandle } from '../fleet/worker-handle.js';
import type { WorkerClock } from '../model/worker-record.js';
import { guard, type RunContext } from './context.js';

/**
 * Round trips per worker. The first ones are slow (cold code paths, a sleeping process), and the offset error is
 * bounded by half the round trip: 64 rounds reliably find round trips near the floor (~100-200 us on a loaded
 * 2-core host), where 15 often did not (300-500 us).
 */
export const CLOCK_ROUNDS = 64;
/** Rounds discarded first, while the IPC path warms up. */
export const CLOCK_WARMUP_ROUNDS = 4;
const PONG_TIMEOUT_MS = 2000;

export interface ClockSample {
  /** Coordinator clock when the ping was sent and when the pong arrived. */
  sentUs: number;
  receivedUs: number;
  /** Worker's own (uncorrected) clock when it answered. */
  workerUs: number;
}

export interface ClockEstimate {
  /** Worker clock minus coordinator clock, integer microseconds. */
  offsetUs: number;
  /**
   * The true offset lies within offsetUs +- uncertaintyUs: the worker read its clock somewhere between the ping's
   * send and the pong's arrival, so the midpoint is off by at most half the round trip; 1.5 us more cover the three
   * readings' truncation to whole microseconds and the rounding of the midpoint.
   */
  uncertaintyUs: number;
  /** The round trip of the sample used. */
  rttUs: number;
}

/**
 * The quickest round trip alone: its half bounds the error of its own midpoint, and no other sample's bound is
 * tighter (a median of several mixes in samples whose error may be larger, and has no bound of its own to state).
 */
export function estimateClockOffset(samples: readonly ClockSample[]): ClockEstimate {
  if (samples.length === 0) throw new RangeError('estimateClockOffset needs at least one sample');
  let best = samples[0]!;
  for (const sample of samples) if (sample.receivedUs - sample.sentUs < best.receivedUs - best.sentUs) best = sample;
  const rttUs = best.receivedUs - best.sentUs;
  return {
    offsetUs: Math.round(best.workerUs - (best.sentUs + best.receivedUs) / 2),
    uncertaintyUs: Math.ceil(rttUs / 2 + 1.5),
    rttUs,
  };
}

/** `rounds` ping-pongs with one worker, one at a time, the first `warmup` discarded. */
export async function pingWorker(
  context: Pick<RunContext, 'fleet' | 'signal'>,
  worker: WorkerHandle,
  rounds: number,
  warmup: number,
  firstSeq = 0,
): Promise<ClockSample[]> {
  const samples: ClockSample[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const seq = firstSeq + round;
    // Wait first, then ping: the pong may arrive before the send promise settles.
    const answer = worker.next('pong', PONG_TIMEOUT_MS);
    const sentUs = monotonicNowUs();
    await guard(context, worker.send({ type: 'ping', seq }));
    const pong = await guard(context, answer);
    const receivedUs = monotonicNowUs();
    if (pong.seq !== seq)
      throw new WorkerFailure(worker.index, worker.pid, `answered ping ${seq} with pong ${pong.seq}`);
    if (round >= warmup) samples.push({ sentUs, receivedUs, workerUs: pong.workerUs });
  }
  return samples;
}

/** The clock of a worker whose hello says `domain`, from its first estimate. */
export function workerClock(
  coordinator: ClockDomain,
  domain: ClockDomain | undefined,
  estimate: ClockEstimate,
): WorkerClock {
  const shared = domain !== undefined && sharesClock(coordinator, domain);
  const uncertaintyUs = shared ? 0 : estimate.uncertaintyUs;
  return {
    kind: shared ? 'shared' : 'estimated',
    offsetUs: shared ? 0 : estimate.offsetUs,
    uncertaintyUs,
    maxUncertaintyUs: uncertaintyUs,
    rttUs: estimate.rttUs,
    measuredOffsetUs: estimate.offsetUs,
    reestimates: [],
  };
}

/**
 * Sends every worker the clock table (row i = worker i's offset in use and its uncertainty). `correct: false`
 * (tests only) sends zeros instead: every worker keeps its own clock, to show what the correction fixes.
 */
export async function sendClockTable(context: RunContext, correct = true): Promise<void> {
  const offsets = context.records.map((record) => ({
    offsetUs: correct ? (record.clock?.offsetUs ?? 0) : 0,
    uncertaintyUs: correct ? (record.clock?.uncertaintyUs ?? 0) : 0,
  }));
  await guard(
    context,
    context.fleet.broadcast((worker) => ({ type: 'clock', index: worker.index, offsets })),
  );
}

/**
 * Every worker's clock, measured after its hello and before `configure`, and the table sent to each. `correct:
 * false` is for tests only (see sendClockTable).
 */
export async function measureClockOffsets(
  context: RunContext,
  { coordinator = clockDomain(), correct = true }: { coordinator?: ClockDomain; correct?: boolean } = {},
): Promise<void> {
  for (const worker of context.fleet.workers) {
    const samples = await pingWorker(context, worker, CLOCK_ROUNDS, CLOCK_WARMUP_ROUNDS);
    const record = context.records[worker.index]!;
    const hello = record.hello;
    const domain = hello && { bootId: hello.bootId, timeNamespace: hello.timeNamespace };
    record.clock = workerClock(coordinator, domain, estimateClockOffset(samples));
    // Not `worker`: that key tags the lines relayed from a worker's own log.
    context.logger.debug({ workerIndex: worker.index, clock: record.clock }, 'worker clock');
  }
  if (!correct) context.logger.warn('clock correction skipped (a test): every worker keeps its own clock');
  await sendClockTable(context, correct);
}
