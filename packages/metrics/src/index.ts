// @evbridge/metrics: latency histograms, the delivery ledger, statistics and resource sampling (knows nothing of Redis).
export { LatencyRecorder, LATENCY_CEILING_US, LATENCY_INITIAL_RANGE_US } from './latency-recorder.js';
export type { LatencySummaryUs, PercentilePointUs } from './latency-recorder.js';
export { DeliveryLedger, SequenceLedger } from './delivery-ledger.js';
export type { DeliveryTotals, MissingSequences, SequenceLedgerSnapshot, SequenceOutcome } from './delivery-ledger.js';
export { parseSequenceLedgerSnapshot } from './sequence-ledger-snapshot.js';
export { linearFit, summarize } from './statistics.js';
export { EXACT_LIMITS, exactApplies, exactUDistribution, rankSumTest, twoSidedNormalP } from './rank-sum-test.js';
export type { RankSumTest } from './rank-sum-test.js';
export { shiftEstimate } from './shift-estimate.js';
export type { ShiftEstimate } from './shift-estimate.js';
export type { LinearFit, NumberSummary } from './statistics.js';
export { ResourceSampler } from './resource-sampler.js';
export type {
  EventLoopDelayUs,
  ResourceSample,
  ResourceSamplerOptions,
  ResourceSamplerState,
  WindowSample,
} from './resource-sampler.js';
export { cpuSnapshot, foreignCores, machineBusyTicks, readProcStat } from './foreign-cpu.js';
export type { CpuSnapshot, ProcStat } from './foreign-cpu.js';
