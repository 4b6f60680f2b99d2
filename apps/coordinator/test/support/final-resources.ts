// A final message's resources, all zero: for tests that build finals by hand and measure no resource.
import type { WorkerMessageOf } from '@evbridge/protocol';

export function zeroFinalResources(): WorkerMessageOf<'final'>['resources'] {
  return {
    rssBytes: 0,
    heapUsedBytes: 0,
    cpuPercent: 0,
    eventLoopDelayUs: { p50: 0, p99: 0, max: 0 },
    peakRssBytes: 0,
    cpuPercentMean: 0,
    cpuUserUs: 0,
    cpuSystemUs: 0,
  };
}
