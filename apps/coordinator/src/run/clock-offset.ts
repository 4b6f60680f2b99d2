// Phase clock: measures each worker's monotonic-clock offset by IPC ping-pong (the sample with the least round trip).
import { monotonicNowUs } from '@evbridge/worker/clock';
import { WorkerFailure } from '../fleet/worker-handle.js';
import { guard, type RunContext } from './context.js';

const ROUNDS = 15;
const PONG_TIMEOUT_MS = 2000;

export async function measureClockOffsets(context: RunContext): Promise<void> {
  for (const worker of context.fleet.workers) {
    let best = { offsetUs: 0, rttUs: Number.POSITIVE_INFINITY };
    for (let seq = 0; seq < ROUNDS; seq += 1) {
      // Wait first, then ping: the pong may arrive before the send promise settles.
      const answer = worker.next('pong', PONG_TIMEOUT_MS);
      const sentUs = monotonicNowUs();
      await guard(context, worker.send({ type: 'ping', seq }));
      const pong = await guard(context, answer);
      const receivedUs = monotonicNowUs();
      if (pong.seq !== seq) throw new WorkerFailure(worker.index, worker.pid, `answered ping ${seq} with pong ${pong.seq}`);
      const rttUs = receivedUs - sentUs;
      if (rttUs < best.rttUs) best = { offsetUs: Math.round(pong.workerUs - (sentUs + receivedUs) / 2), rttUs };
    }
    context.records[worker.index]!.clock = best;
  }
}
