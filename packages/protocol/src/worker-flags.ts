// The Node/V8 flags a worker process runs with, applied by whoever forks it (the coordinator's process launcher).
// A worker is one small single-threaded process among N on a shared machine; V8's defaults suit one big process.

/**
 * - `--max-semi-space-size=4`: the young generation stays at 4 MiB per semi-space instead of growing to 16 MiB
 *   (32 MiB of RSS) under a steady event stream; per-event garbage dies young, so scavenges stay short.
 * - `--v8-pool-size=1`: one V8 platform thread instead of four: concurrent marking and compilation still run off the
 *   main thread, with fewer thread stacks and malloc arenas.
 * Not `--single-threaded` (GC and compilation on the main thread, ~2 MiB less): in an interleaved A/B of the
 * harness-free floor at 10,000 events/s it tripled latency p99 (11.0 ms against 4.1 ms), a harness-made stall in
 * every event's path. Measured in docs/performance.md ("The harness's own cost").
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--v8-pool-size=1'];
