// A worker's histograms are decoded once, when its final message is parsed: buildReport merges those copies and
// decodes nothing again.
import evbridge from '@evbridge/drivers/evbridge';
import { LatencyRecorder, SequenceLedger } from '@evbridge/metrics';
import { emptyBridgeCounters, emptyWindowCounters, type SentWorkerMessageOf } from '@evbridge/protocol';
import { parseWorkerMessage } from '@evbridge/protocol/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerRecord } from '../src/model/worker-record.js';
import { buildReport } from '../src/report/build-report.js';
import { parsedOptions } from './support/parse-cli.js';
import { zeroFinalResources } from './support/final-resources.js';

const HISTOGRAMS = ['latencyUs', 'transitLatencyUs', 'sendLagUs', 'eventLoopDelayUs'] as const;

/** Worker `index`'s final as it sends it: each histogram holds `samples` values, encoded. */
function sentFinal(index: number, samples: number, peers: readonly string[]): SentWorkerMessageOf<'final'> {
  const encoded = (): string => {
    const recorder = new LatencyRecorder();
    for (let sample = 1; sample <= samples; sample += 1) recorder.record(sample * 100 + index);
    return recorder.encode();
  };
  const ledger = new SequenceLedger();
  for (let seq = 0; seq < 10; seq += 1) ledger.record(seq);
  return {
    type: 'final',
    drained: true,
    window: emptyWindowCounters(),
    bridge: emptyBridgeCounters(),
    ledger: Object.fromEntries(peers.map((peer) => [peer, ledger.toJSON()])),
    histograms: {
      latencyUs: encoded(),
      transitLatencyUs: encoded(),
      sendLagUs: encoded(),
      eventLoopDelayUs: encoded(),
    },
    resources: zeroFinalResources(),
  };
}

function parsedFinal(message: SentWorkerMessageOf<'final'>): WorkerRecord['final'] {
  const parsed = parseWorkerMessage(message);
  if (!parsed.ok || parsed.message.type !== 'final') throw new Error(`not a final: ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('buildReport and the histograms of the finals', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('decodes each histogram once, in the parser, and merges every worker into the report', () => {
    const ids = ['w0', 'w1', 'w2'];
    const decode = vi.spyOn(LatencyRecorder, 'decode');
    const records: WorkerRecord[] = ids.map((instanceId, index) => ({
      index,
      pid: 100 + index,
      instanceId,
      final: parsedFinal(
        sentFinal(
          index,
          10 * (index + 1),
          ids.filter((id) => id !== instanceId),
        ),
      ),
    }));
    expect(decode).toHaveBeenCalledTimes(ids.length * HISTOGRAMS.length);
    decode.mockClear();

    const report = buildReport({
      options: parsedOptions(['--procs', '3']),
      driver: evbridge,
      runId: 'r',
      namespace: 'ns',
      redis: { version: '7', url: 'redis://127.0.0.1:6379', private: true },
      startedAt: new Date(0),
      series: undefined,
      records,
      exits: [],
      failedWorkers: new Map(),
      progressLatencyByWorker: new Map(),
      outcome: 'complete',
      problems: [],
      measuredMs: 1000,
    });
    expect(decode).not.toHaveBeenCalled();
    // 10 + 20 + 30 samples from the three workers, merged.
    expect(report.latencyUs.count).toBe(60);
    // Each row from its own worker's histogram (max 1,000, 2,000 and 3,000 us, within the histogram's 0.1%).
    expect(report.instances.map((row) => Math.round(row.latencyUs.max / 1000))).toEqual([1, 2, 3]);
    for (const name of HISTOGRAMS) expect(LatencyRecorder.decode(report.histograms[name]).summary().count).toBe(60);
  });
});
