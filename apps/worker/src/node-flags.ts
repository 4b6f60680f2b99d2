// The Node/V8 flags a worker process runs with, applied by whoever forks it (the coordinator's ProcessWorker).
// A worker is one small single-threaded process among N on a shared machine; V8's defaults suit one big process.

/**
 * - `--max-semi-space-size=1`: the young generation stays at 1 MiB per semi-space instead of growing to 16 MiB
 *   (32 MiB of RSS) under a steady event stream; per-event garbage dies young, so the extra scavenges are tiny.
 * - `--single-threaded`: V8 collects garbage and optimizes code on the main thread only: no helper threads to wake
 *   (each wake-up costs CPU on a loaded 2-core machine shared by N workers and Redis), fewer thread stacks and malloc
 *   arenas. Optimizing on the main thread pauses it briefly while code warms up: the warm-up phase absorbs that.
 * - `--v8-pool-size=1`: one V8 platform thread instead of four (it has nothing left to do).
 * Measured A/B in docs/performance.md: worker RSS ~90 -> ~70 MB, CPU per delivered event -8% (within noise).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--single-threaded', '--v8-pool-size=1'];
