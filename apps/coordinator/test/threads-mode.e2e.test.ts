// --mode=threads end to end: the built CLI runs its bridges as piscina worker threads of its own process against a
// private redis-server, with the same protocol, report and exit codes as processes; what sharing one pid does to a
// pid-keyed identity; a killed thread; SIGINT. And a failing thread is a WorkerFailure, as a crashed process is.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createThreadLauncher } from '../src/fleet/thread-worker.js';
import { WorkerFailure } from '../src/fleet/worker-handle.js';
import type { Report } from '../src/model/report.js';
import { isAlive, isProgressLine, parseLogLines, startHarness, watchLog } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-threads-');

const SHORT = ['--mode=threads', '--procs=3', '--rate=300', '--duration=2s', '--warmup=500ms'];

/** Runs the built CLI to its end; the report (if written) and the private redis-server's pid, checked gone. */
async function runThreads(name: string, args: string[]) {
  const jsonPath = join(tempDir(), `${name}.json`);
  const run = startHarness([...args, `--json=${jsonPath}`]);
  const result = await run;
  const redisPid = parseLogLines(result.stderr).find((line) => line.msg === 'private redis-server started')?.redisPid;
  expect(redisPid, result.stderr).toBeTypeOf('number');
  expect(isAlive(redisPid as number), 'the private redis-server outlived the run').toBe(false);
  expect(isAlive(run.pid!), 'the harness process outlived its exit').toBe(false);
  const written = await stat(jsonPath).then(
    () => true,
    () => false,
  );
  const report = written ? (JSON.parse(await readFile(jsonPath, 'utf8')) as Report) : undefined;
  return { result, report, harnessPid: run.pid! };
}

describe('--mode=threads, end to end', () => {
  it('runs 3 worker threads of the harness process to a clean pass: one pid, distinct threads and ids', async () => {
    const { result, report, harnessPid } = await runThreads('clean', SHORT);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/"level":50/);
    expect(report).toBeDefined();
    expect(report!.run.mode).toBe('threads');
    expect(report!.outcome).toBe('complete');
    expect(report!.totals.deliveryRatio).toBe(1);
    expect(report!.totals.amplification).toBe(2);
    expect(report!.totals.selfReceived).toBe(0);
    expect(report!.totals.lost).toBe(0);
    expect(report!.totals.published).toBeGreaterThan(400);
    const { instances } = report!;
    expect(instances).toHaveLength(3);
    for (const instance of instances) {
      expect(instance.pid).toBe(harnessPid);
      expect(instance.hostPid).toBe(harnessPid);
      expect(instance.threadId).toBeGreaterThan(0);
      expect(instance.instanceId).toContain(`:${harnessPid}:`);
      expect(instance.selfReceived).toBe(0);
      expect(instance.exit).toBeNull();
    }
    expect(new Set(instances.map((instance) => instance.threadId)).size).toBe(3);
    expect(new Set(instances.map((instance) => instance.instanceId)).size).toBe(3);
    expect(report!.identity!.collisions).toEqual([]);
    // The workers' logs reach the harness's log, tagged with the worker, over the thread's log port.
    const started = parseLogLines(result.stderr).find((line) => line.msg === 'started 3 worker threads');
    expect(started?.pids).toEqual([harnessPid, harnessPid, harnessPid]);
  }, 60_000);

  it('--identity=pid: exit 2 before measuring, one line naming the collision, why (threads share a pid) and the fix', async () => {
    const { result, report } = await runThreads('pid-identity', [...SHORT, '--identity=pid']);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(report).toBeUndefined();
    const lines = result.stderr
      .split('\n')
      .filter((line) => line.includes('identity collision') && !line.startsWith('{'));
    expect(lines, result.stderr).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatch(/^evbridge harness: identity collision: workers 0, 1, 2 report instance id "\d+"/);
    expect(line).toContain("worker threads share their process's pid");
    expect(line).toContain('--allow-collisions');
    expect(line).toContain('drop --identity=pid');
  }, 60_000);

  it('--identity=pid --allow-collisions: every bridge drops its peers as its own echoes; exit 1, each bridge noticed', async () => {
    const { result, report, harnessPid } = await runThreads('pid-collide', [
      ...SHORT,
      '--identity=pid',
      '--allow-collisions',
    ]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(report).toBeDefined();
    expect(report!.outcome).toBe('complete');
    expect(report!.passed).toBe(false);
    expect(report!.totals.published).toBeGreaterThan(400);
    expect(report!.totals.delivered).toBe(0);
    expect(report!.totals.deliveryRatio).toBe(0);
    expect(report!.identity!.scheme).toBe('pid');
    expect(report!.identity!.collisions).toEqual([{ instanceId: String(harnessPid), workers: [0, 1, 2] }]);
    // The bridge's own run-time detection (a 'collision' lifecycle event), not only the harness's check.
    expect(report!.identity!.bridgesReportingCollision).toEqual([0, 1, 2]);
    // Each of the 3 dropped both peers' events as its own: twice what was published.
    expect(report!.identity!.peerEventsDroppedAsOwn).toBe(report!.totals.published * 2);
    expect(report!.totals.selfEchoesFiltered).toBe(report!.totals.published * 3);
    // Redis sent every event to 3 subscribers, and the instances account for each one (self-filtered).
    expect(report!.totals.instancesCountedReceivers).toBe(report!.totals.redisReportedReceivers);
    expect(report!.thresholds.find((threshold) => threshold.expression === 'delivery==100%')?.passed).toBe(false);
  }, 60_000);

  it('kill-worker terminates one thread; the others run on, and the report names it like a killed process', async () => {
    const { result, report } = await runThreads('kill-worker', [
      '--mode=threads',
      '--procs=3',
      '--rate=300',
      '--duration=7s',
      '--warmup=1s',
      '--drain-timeout=3s',
      '--fault=kill-worker@2s',
      '--fault-target=1',
      '--threshold=recovery<6s',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(report!.faults).toHaveLength(1);
    const fault = report!.faults![0]!;
    expect(fault.status, fault.error ?? '').toBe('injected');
    expect(fault.target).toMatchObject({ type: 'worker', index: 1, chosenBy: 'option' });
    expect(fault.detail).toMatch(/^worker 1 \(pid \d+\) was terminated \(its task aborted, its thread ended/);
    expect(fault.recovered).toBe(true);
    expect(fault.verdict.allowed, fault.verdict.explanation).toBe(true);
    const killed = report!.instances[1]!;
    // A terminated thread has no signal; Node gives it exit code 1.
    expect(killed.exit).toEqual({ exitCode: 1, signal: null, reason: 'killed by fault kill-worker@2s' });
    // It published for about 2 s of the 7 (100 events/s).
    expect(killed.published).toBeGreaterThan(150);
    expect(killed.published).toBeLessThan(300);
    for (const survivor of report!.instances.filter((instance) => instance.index !== 1)) {
      expect(survivor.exit).toBeNull();
      expect(survivor.published).toBeGreaterThan(650);
      expect(survivor.lost).toBe(0);
    }
    expect(report!.totals.lostOutsideFaults).toBe(0);
    expect(report!.outcome).toBe('complete');
    expect(report!.problems).toEqual([]);
  }, 90_000);

  it('on SIGINT stops the run, writes the partial report, exits 130 and leaves no process behind', async () => {
    const jsonPath = join(tempDir(), 'interrupted.json');
    const run = startHarness([
      '--mode=threads',
      '--procs=3',
      '--duration=30s',
      '--warmup=0s',
      '--rate=300',
      `--json=${jsonPath}`,
    ]);
    const log = watchLog(run);
    const redisPid = (await log.until((line) => line.msg === 'private redis-server started')).redisPid as number;
    await log.until(isProgressLine);
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode, log.text).toBe(130);
    expect(result.stdout).toContain('interrupted');
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.outcome).toBe('interrupted');
    expect(report.run.mode).toBe('threads');
    expect(report.totals.published).toBeGreaterThan(0);
    expect(report.totals.lost).toBe(0);
    expect(report.instances.every((instance) => instance.pid === run.pid)).toBe(true);
    expect(isAlive(redisPid)).toBe(false);
    expect(isAlive(run.pid!)).toBe(false);
  }, 60_000);
});

describe('a worker thread that fails', () => {
  const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const silent = pino({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() }));

  it.each([
    [
      'its task rejects',
      'thread-rejects-at-once.mjs',
      /^worker 0 \(pid \d+\) failed in its thread: fixture thread gives up$/,
    ],
    [
      'its thread throws',
      'thread-throws-uncaught.mjs',
      /^worker 0 \(pid \d+\) failed in its thread: fixture thread crashed$/,
    ],
  ])('when %s: a WorkerFailure naming it, every wait rejected, the exit described', async (_what, entry, message) => {
    const launcher = createThreadLauncher(1, { logger: silent, logLevel: 'info', threadEntry: fixture(entry) });
    try {
      const worker = launcher.start(0);
      const hello = worker.next('hello', 10_000);
      await expect(hello).rejects.toBeInstanceOf(WorkerFailure);
      await expect(hello).rejects.toThrow(message);
      await expect(worker.failed).rejects.toThrow(message);
      const exit = await worker.exited;
      expect(exit.exitCode).toBeNull();
      expect(exit.reason).toMatch(/^failed in its thread: /);
      expect(worker.pid).toBe(process.pid);
      await expect(worker.send({ type: 'shutdown' })).rejects.toThrow(
        /cannot be sent "shutdown": it failed in its thread/,
      );
      expect(worker.os).toBeUndefined();
    } finally {
      await launcher.close();
    }
  });
});
