// A worker forked by the coordinator runs with the worker's own Node/V8 flags (@evbridge/protocol's worker-flags.ts).
import { readFileSync } from 'node:fs';
import { WORKER_NODE_FLAGS } from '@evbridge/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessWorker } from '../src/fleet/process-worker.js';

let worker: ProcessWorker | undefined;

afterEach(async () => {
  await worker?.terminate();
  worker = undefined;
});

describe('worker process flags', () => {
  it('forks the worker with WORKER_NODE_FLAGS on its command line', async () => {
    worker = new ProcessWorker({ index: 0, logger: pino({ level: 'silent' }), logLevel: 'silent' });
    await worker.next('hello', 10_000);
    const argv = readFileSync(`/proc/${worker.pid}/cmdline`, 'utf8').split('\0');
    expect(WORKER_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of WORKER_NODE_FLAGS) expect(argv).toContain(flag);
  });
});
