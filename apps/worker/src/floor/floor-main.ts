// The harness-free floor: one process publishing plain ioredis PUBLISHes on the bench's schedule and pacer, and
// recording latency of what it receives. No session, no stats, no ledger, no sampling, one message at the end:
// `pnpm bench` runs it beside the harness so the harness's own cost is measured every time.
import { LatencyRecorder } from '@evbridge/metrics';
import { Redis } from 'ioredis';
import {
  monotonicNowUs,
  parseFloorParentMessage,
  STATS_INTERVAL_MS,
  type FloorChildMessage,
  type FloorConfigure,
  type FloorStart,
} from '@evbridge/protocol';
import { createPacer } from '../create-pacer.js';
import { phaseOffsetUs } from '../schedule-phase.js';

if (!process.send) {
  console.error('evbridge floor: start me through `pnpm bench`: I need its IPC channel.');
  process.exit(2);
}

const send = (message: FloorChildMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected) process.exit(3);
    process.send!(message, () => resolve());
  });

/** One wire message: the sender's index, intended and actual send times (monotonic us), padding. */
interface FloorEvent {
  w: number;
  i: number;
  s: number;
  p: string;
}

let config: FloorConfigure | undefined;
let publisher: Redis | undefined;
let subscriber: Redis | undefined;
let measureWindow = { startUs: Number.MAX_SAFE_INTEGER, endUs: 0 };
const latency = new LatencyRecorder();
const transit = new LatencyRecorder();
const sendLag = new LatencyRecorder();
let published = 0;
let received = 0;
/** CPU used before the measured window began (read by a timer at its start). */
let cpuAtMeasureStart: NodeJS.CpuUsage | undefined;
/**
 * The largest RSS read so far, read as the harness's workers read theirs (ResourceSampler: once a second from ready,
 * and at the end), so the bench compares peaks taken the same way.
 */
let peakRssBytes = 0;
const readRss = (): void => {
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
};

async function configure(message: FloorConfigure): Promise<void> {
  config = message;
  publisher = new Redis(message.redisUrl, { lazyConnect: true });
  subscriber = new Redis(message.redisUrl, { lazyConnect: true });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  subscriber.on('message', (_channel: string, text: string) => {
    const nowUs = monotonicNowUs();
    const event = JSON.parse(text) as FloorEvent;
    if (event.w === message.index || event.i < measureWindow.startUs || event.i >= measureWindow.endUs) return;
    received += 1;
    latency.record(nowUs - event.i);
    transit.record(nowUs - event.s);
  });
  await subscriber.subscribe(message.channel);
  readRss();
  setInterval(readRss, STATS_INTERVAL_MS).unref();
  await send({ type: 'ready' });
}

function start(message: FloorStart): void {
  const own = config!;
  const pub = publisher!;
  measureWindow = { startUs: message.measureStartUs, endUs: message.measureEndUs };
  const padding = 'x'.repeat(own.payloadBytes);
  const pacer = createPacer(own.pacer, {
    rateEventsPerSec: own.rateEventsPerSec,
    t0Us: message.t0Us + phaseOffsetUs(own.index, own.rateEventsPerSec),
    endUs: message.measureEndUs,
    onDue: (_index, intendedUs) => {
      const sentUs = monotonicNowUs();
      const measured = intendedUs >= measureWindow.startUs && intendedUs < measureWindow.endUs;
      if (measured) sendLag.record(sentUs - intendedUs);
      const event: FloorEvent = { w: own.index, i: intendedUs, s: sentUs, p: padding };
      pub.publish(own.channel, JSON.stringify(event)).then(
        () => {
          if (measured) published += 1;
        },
        () => undefined,
      );
    },
  });
  pacer.start();
  setTimeout(
    () => (cpuAtMeasureStart = process.cpuUsage()),
    Math.max(0, (message.measureStartUs - monotonicNowUs()) / 1000),
  );
  const untilDoneMs = Math.max(0, (message.measureEndUs - monotonicNowUs()) / 1000) + message.drainMs;
  setTimeout(() => void finish(), untilDoneMs);
}

async function finish(): Promise<void> {
  const cpu = process.cpuUsage(cpuAtMeasureStart);
  readRss();
  await send({
    type: 'result',
    published,
    received,
    latencyUs: latency.encode(),
    transitUs: transit.encode(),
    sendLagUs: sendLag.encode(),
    cpuUs: cpu.user + cpu.system,
    peakRssBytes,
  });
  publisher?.disconnect();
  subscriber?.disconnect();
  process.exit(0);
}

process.on('message', (raw: unknown) => {
  const message = parseFloorParentMessage(raw);
  const handled =
    message?.type === 'configure'
      ? configure(message)
      : message?.type === 'start'
        ? Promise.resolve(start(message))
        : undefined;
  (handled ?? Promise.reject(new Error(`unexpected message: ${JSON.stringify(raw).slice(0, 80)}`))).catch(
    async (error: unknown) => {
      await send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
});
// The parent is gone: never outlive it.
process.on('disconnect', () => process.exit(3));
