// The fleet's latency distributions: every worker's histograms merged with `add`, each decoded once, by the parser.
import { LatencyRecorder } from '@evbridge/metrics';
import type { LatencyUs, Report } from '../model/report.js';
import type { WorkerRecord } from '../model/worker-record.js';

export interface MergedHistograms {
  latency: LatencyRecorder;
  transit: LatencyRecorder;
  sendLag: LatencyRecorder;
  eventLoopDelay: LatencyRecorder;
}

/**
 * Every final's histograms, where the protocol's parser put them (decoded when the message arrived). A worker that
 * sent no final adds what its stats said so far: latency only, as transit and send lag travel in the final alone.
 */
export function mergeHistograms(
  records: readonly WorkerRecord[],
  progressLatencyByWorker: ReadonlyMap<number, LatencyRecorder>,
): MergedHistograms {
  const merged: MergedHistograms = {
    latency: new LatencyRecorder(),
    transit: new LatencyRecorder(),
    sendLag: new LatencyRecorder(),
    eventLoopDelay: new LatencyRecorder(),
  };
  for (const record of records) {
    if (!record.final) {
      const soFar = progressLatencyByWorker.get(record.index);
      if (soFar) merged.latency.add(soFar);
      continue;
    }
    const own = record.final.histograms;
    merged.latency.add(own.latencyUs);
    merged.transit.add(own.transitLatencyUs);
    merged.sendLag.add(own.sendLagUs);
    merged.eventLoopDelay.add(own.eventLoopDelayUs);
  }
  return merged;
}

/** The report's percentiles of the merged distributions. */
export function latencyFigures(
  merged: MergedHistograms,
): Pick<Report, 'latencyUs' | 'transitLatencyUs' | 'sendLagUs' | 'eventLoopDelayUs'> {
  return {
    latencyUs: latencyOf(merged.latency),
    transitLatencyUs: pick(latencyOf(merged.transit), ['p50', 'p99', 'p999', 'max']),
    sendLagUs: pick(latencyOf(merged.sendLag), ['p50', 'p99', 'max']),
    eventLoopDelayUs: pick(latencyOf(merged.eventLoopDelay), ['p50', 'p99', 'max']),
  };
}

/** The merged distributions whole, encoded, for tools that want more than the percentiles. */
export function encodedHistograms(merged: MergedHistograms): Report['histograms'] {
  return {
    latencyUs: merged.latency.encode(),
    transitLatencyUs: merged.transit.encode(),
    sendLagUs: merged.sendLag.encode(),
    eventLoopDelayUs: merged.eventLoopDelay.encode(),
  };
}

function latencyOf(recorder: LatencyRecorder): LatencyUs {
  const s = recorder.summary();
  return { count: s.count, mean: s.mean, p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99, p999: s.p999, max: s.max };
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = value[key];
  return out;
}
