// Integration: a real worker process driven over plain Node IPC at a high rate sends at most 2 messages per second.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type {
  CoordinatorMessage,
  SentWorkerMessage as WorkerMessage,
  SentWorkerMessageOf as WorkerMessageOf,
} from '@evbridge/protocol';
import { waitFor } from '../src/wait-for.js';

const WORKER_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** A minimal coordinator: forks the worker, records every message it sends with its arrival time. */
class Driver {
  readonly child: ChildProcess;
  readonly received: Array<{ atUs: number; message: WorkerMessage }> = [];

  constructor() {
    this.child = fork(WORKER_MAIN, [], {
      serialization: 'json',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...process.env, EVBRIDGE_LOG_LEVEL: 'silent', REDIS_URL: undefined },
    });
    this.child.on('message', (message: WorkerMessage) => this.received.push({ atUs: nowUs(), message }));
  }

  send(message: CoordinatorMessage): void {
    this.child.send(message);
  }

  async next<T extends WorkerMessage['type']>(type: T, timeoutMs = 10_000): Promise<WorkerMessageOf<T>> {
    let found: WorkerMessage | undefined;
    await waitFor(
      () => {
        found = this.received.find((entry) => entry.message.type === type)?.message;
        return found !== undefined;
      },
      {
        timeoutMs,
        intervalMs: 5,
        description: `the worker's "${type}" message (got ${this.received.map((entry) => entry.message.type).join(', ')})`,
      },
    );
    return found as WorkerMessageOf<T>;
  }
}

let driver: Driver | undefined;

afterEach(() => {
  driver?.child.kill('SIGKILL');
  driver = undefined;
});

describe('IPC budget of a worker', () => {
  it.each(['evbridge', 'raw'] as const)(
    'at 5,000 events/s (%s) sends at most 2 IPC messages per second of its run, none per event',
    async (driverName) => {
      const rateEventsPerSec = 5000;
      driver = new Driver();
      await driver.next('hello');
      driver.send({
        type: 'configure',
        index: 0,
        redisUrl: inject('redisUrl'),
        namespace: `evbridge:test:ipc:${randomBytes(4).toString('hex')}`,
        driver: driverName,
        pacer: 'open-loop',
        rateEventsPerSec,
        payloadBytes: 256,
        statsIntervalMs: 1000,
      });
      const { instanceId } = await driver.next('ready');
      driver.send({ type: 'probe', instanceIds: [instanceId], intervalMs: 50 });
      await driver.next('probed');

      const startedUs = nowUs();
      const t0Us = startedUs + 50_000;
      const measureStartUs = t0Us + 500_000;
      const measureEndUs = measureStartUs + 3_000_000;
      const before = driver.received.length;
      driver.send({ type: 'start', t0Us, measureStartUs, measureEndUs });
      await waitFor(() => nowUs() >= measureEndUs, {
        timeoutMs: 10_000,
        description: 'the end of the measured window',
      });
      driver.send({ type: 'stop' });
      const stopped = await driver.next('stopped');
      driver.send({ type: 'drain', expectLastSeq: {}, timeoutMs: 1000 });
      await driver.next('final');
      const during = driver.received.slice(before);
      const runSeconds = (during.at(-1)!.atUs - startedUs) / 1e6;

      // It really ran at the rate: 3 s measured at 5,000/s (generous: the machine is shared).
      expect(stopped.window.published).toBeGreaterThan(0.5 * 3 * rateEventsPerSec);
      expect(during.map((entry) => entry.message.type).filter((type) => type !== 'stats')).toEqual([
        'stopped',
        'final',
      ]);
      expect(during.length / runSeconds).toBeLessThanOrEqual(2);

      driver.send({ type: 'shutdown' });
      await waitFor(() => driver!.child.exitCode !== null, { timeoutMs: 5000, description: 'the worker to exit' });
      expect(driver.child.exitCode).toBe(0);
    },
    30_000,
  );
});
