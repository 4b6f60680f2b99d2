// Phase clock: measures each worker's monotonic-clock offset by IPC ping-pong, keeping the quickest round trips.
import { summarize } from '@evbridge/metrics';
import { monotonicNowUs } from '@evbridge/protocol';
import { WorkerFailure } from '../fleet/worker-handle.js';
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
  /** Worker clock when it answered. */
  workerUs: number;
}

export interface ClockEstimate {
  /** Worker clock minus coordinator clock, integer microseconds (0 on one host, up to measurement error). */
  offsetUs: number;
  /** The quickest round trip (its half bounds the error of the quickest sample). */
  rttUs: number;
}

/**
 * The median offset of the quickest tenth of the round trips (at least 3): the quickest sample alone bounds the
 * error best, and the median of its neighbours keeps one lucky-but-skewed sample from deciding.
 */
export function estimateClockOffset(samples: readonly ClockSample[]): ClockEstimate {
  if (samples.length === 0) throw new RangeError('estimateClockOffset needs at least one sample');
  const measured = samples
    .map((sample) => ({
      rttUs: sample.receivedUs - sample.sentUs,
      offsetUs: sample.workerUs - (sample.sentUs + sample.receivedUs) / 2,
    }))
    .sort((a, b) => a.rttUs - b.rttUs);
  const quickest = measured.slice(0, Math.max(3, Math.ceil(measured.length / 10)));
  const { median } = summarize(quickest.map((sample) => sample.offsetUs));
  return { offsetUs: Math.round(median), rttUs: measured[0]!.rttUs };
}

export async function measureClockOffsets(context: RunContext): Promise<void> {
  for (const worker of context.fleet.workers) {
    const samples: ClockSample[] = [];
    for (let seq = 0; seq < CLOCK_ROUNDS; seq += 1) {
      // Wait first, then ping: the pong may arrive before the send promise settles.
      const answer = worker.next('pong', PONG_TIMEOUT_MS);
      const sentUs = monotonicNowUs();
      await guard(context, worker.send({ type: 'ping', seq }));
      const pong = await guard(context, answer);
      const receivedUs = monotonicNowUs();
      if (pong.seq !== seq)
        throw new WorkerFailure(worker.index, worker.pid, `answered ping ${seq} with pong ${pong.seq}`);
      if (seq >= CLOCK_WARMUP_ROUNDS) samples.push({ sentUs, receivedUs, workerUs: pong.workerUs });
    }
    context.records[worker.index]!.clock = estimateClockOffset(samples);
  }
}
