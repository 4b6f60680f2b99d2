// Live progress once a second from the workers' stats: rates, latency so far, holes so far.
import { LatencyRecorder } from '@evbridge/metrics';
import { type WorkerMessageOf, monotonicNowUs } from '@evbridge/protocol';
import type { Logger } from 'pino';
import { formatProgress } from '../render/progress.js';
import type { RunContext } from './context.js';

/** Plain (non-TTY) output prints a line this often. */
const PLAIN_EVERY_MS = 5000;

export class Progress {
  /** Latency-from-intended of everything measured so far, merged from interval histograms. */
  readonly soFar = new LatencyRecorder();
  /** The same per worker: the report uses it for a worker that sent no final. */
  readonly soFarByWorker = new Map<number, LatencyRecorder>();
  #timer: NodeJS.Timeout | undefined;
  #lastPrintMs = 0;
  #previous = { published: 0, delivered: 0, atUs: 0 };
  #lineShown = false;

  constructor(
    private readonly context: RunContext,
    private readonly times: { t0Us: number; measureStartUs: number; measureEndUs: number },
    private readonly output: { stream: NodeJS.WriteStream; logger: Logger },
  ) {
    for (const worker of context.fleet.workers) {
      worker.onStats((stats) => this.#onStats(worker.index, stats));
    }
  }

  #onStats(index: number, stats: WorkerMessageOf<'stats'>): void {
    this.context.records[index]!.lastStats = stats;
    const interval = stats.intervalLatencyUs;
    this.soFar.add(interval);
    const mine = this.soFarByWorker.get(index) ?? new LatencyRecorder();
    mine.add(interval);
    this.soFarByWorker.set(index, mine);
  }

  start(): void {
    this.#previous = { published: 0, delivered: 0, atUs: monotonicNowUs() };
    this.#timer = setInterval(() => this.#tick(), 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#lineShown) this.output.stream.write('\n');
    this.#lineShown = false;
  }

  #tick(): void {
    const nowUs = monotonicNowUs();
    const { t0Us, measureStartUs, measureEndUs } = this.times;
    let published = 0;
    let delivered = 0;
    let lostSoFar = 0;
    for (const record of this.context.records) {
      // Bridge counters include warm-up traffic, so the rates show from the first second.
      published += record.lastStats?.bridge.published ?? 0;
      delivered += record.lastStats?.bridge.deliveredToHandlers ?? 0;
      lostSoFar += record.lastStats?.gapsSoFar ?? 0;
    }
    const seconds = Math.max(1e-6, (nowUs - this.#previous.atUs) / 1e6);
    const summary = this.soFar.summary();
    const line = formatProgress({
      elapsedMs: Math.max(0, (nowUs - t0Us) / 1000),
      durationMs: (measureEndUs - t0Us) / 1000,
      phase: nowUs < measureStartUs ? 'warmup' : 'measure',
      publishedPerSec: (published - this.#previous.published) / seconds,
      deliveredPerSec: (delivered - this.#previous.delivered) / seconds,
      p50Us: summary.p50,
      p99Us: summary.p99,
      lostSoFar,
    });
    this.#previous = { published, delivered, atUs: nowUs };
    if (this.output.stream.isTTY) {
      this.output.stream.write(`\r\x1b[K${line}`);
      this.#lineShown = true;
    } else if (nowUs / 1000 - this.#lastPrintMs >= PLAIN_EVERY_MS) {
      this.#lastPrintMs = nowUs / 1000;
      this.output.logger.info(line);
    }
  }
}
