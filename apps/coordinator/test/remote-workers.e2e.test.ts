// Remote workers end to end: the built harness with --listen, and evbridge-worker processes started as a user would
// (the coordinator's URL and a token file), on real Redis. Runs pass exactly; a worker that drops off is named with
// its host and pid while the others' data is kept; kill-worker reaches a remote worker through its own hand; wss://
// with a CA; and no token in any log, report or argument, no process left behind.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { makeCertificates } from './support/certificates.js';
import { isAlive, isProgressLine, parseLogLines, startHarness, watchLog } from './support/harness-cli.js';
import { freeListenAddress, startRemoteWorker, tokenFile } from './support/remote-workers.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-remote-');

const SHORT = ['--rate=300', '--duration=3s', '--warmup=1s', '--drain-timeout=3s'];

async function readReport(path: string): Promise<Report> {
  return JSON.parse(await readFile(path, 'utf8')) as Report;
}

/** Every worker process the test started, and every one the harness forked (logged pids), is gone. */
function expectNothingLeft(pids: readonly (number | undefined)[]): void {
  for (const pid of pids) if (pid !== undefined) expect(isAlive(pid), `pid ${pid} outlived the run`).toBe(false);
}

/** A harness listening on a free loopback port with a new token file, writing its report to `name`.json. */
async function listeningRun(name: string, args: string[]) {
  const { file, token } = await tokenFile(tempDir(), `${name}.token`);
  const listen = await freeListenAddress();
  const json = join(tempDir(), `${name}.json`);
  const harness = startHarness(['--listen', listen, `--token-file=${file}`, ...args, `--json=${json}`]);
  return { file, token, listen, json, harness };
}

describe('remote workers', () => {
  it('3 evbridge-worker processes pass with 100% delivery; a 4th is surplus; the token is nowhere', async () => {
    // The private redis-server, as `pnpm harness --listen ... --expect-workers 3` runs it.
    const { file, token, listen, json, harness } = await listeningRun('three', ['--expect-workers=3', ...SHORT]);
    const log = watchLog(harness);
    const url = `ws://${listen}`;
    const workers = [1, 2, 3].map(() => startRemoteWorker(url, ['--token-file', file]));
    await log.until((line) => /remote worker 2 arrived/.test(String(line.msg)));
    const surplus = await startRemoteWorker(url, ['--token-file', file]);
    expect(surplus.exitCode).toBe(1);
    const result = await harness;
    const done = await Promise.all(workers);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(surplus.exitCode).toBe(1);
    expect(surplus.stderr).toMatch(/already has every remote worker it expects/);
    for (const worker of done) expect(worker.exitCode, worker.stderr).toBe(0);
    const report = await readReport(json);
    expect(report.outcome).toBe('complete');
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.totals.lost).toBe(0);
    expect(report.run.procs).toBe(3);
    expect(report.run.remoteWorkers).toBe(3);
    expect(report.instances.map((instance) => instance.pid).sort()).toEqual(workers.map((worker) => worker.pid).sort());
    expect(report.control).toEqual({
      listen: url,
      workersExpected: 3,
      workersArrived: 3,
      refused: { badProof: 0, garbage: 0, oversize: 0, slow: 0, overLimit: 0, surplus: 1 },
    });
    expect(result.stdout).toMatch(/3 remote workers \(evbridge-worker over the control channel\)/);
    const everything = [
      result.stdout,
      result.stderr,
      await readFile(json, 'utf8'),
      ...done.flatMap((worker) => [worker.stdout, worker.stderr, worker.command]),
    ];
    for (const text of everything) expect(text).not.toContain(token);
    const redisPids = parseLogLines(result.stderr)
      .filter((line) => line.msg === 'private redis-server started')
      .map((line) => line.redisPid as number);
    expectNothingLeft([...workers.map((worker) => worker.pid), ...redisPids]);
  }, 90_000);

  it('mixed 2 local + 2 remote; a worker killed mid-run is named with host and pid, the others keep their data', async () => {
    const { file, listen, json, harness } = await listeningRun('mixed', [
      '--procs=2',
      '--expect-workers=2',
      `--redis=${inject('redisUrl')}`,
      '--rate=300',
      '--duration=4s',
      '--warmup=1s',
    ]);
    const log = watchLog(harness);
    const workers = [1, 2].map(() => startRemoteWorker(`ws://${listen}`, ['--token-file', file]));
    // Killed once measuring: the first progress line is in the warmup (1 s), a second later it measures.
    await log.until(isProgressLine);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const victim = workers[0]!;
    process.kill(victim.pid!, 'SIGKILL');
    const result = await harness;
    await Promise.all(workers);
    expect(result.exitCode, result.stderr).toBe(2);
    const report = await readReport(json);
    expect(report.outcome).toBe('failed');
    const killed = report.instances.find((instance) => instance.pid === victim.pid)!;
    expect(killed.index).toBeGreaterThanOrEqual(2);
    expect(report.problems.map((problem) => problem.message)).toContain(
      `worker ${killed.index} (host ${hostname()}, pid ${victim.pid}) dropped its connection (WebSocket close code 1006)`,
    );
    // Local workers 0 and 1 and the surviving remote one kept publishing and receiving, and reported.
    for (const survivor of report.instances.filter((instance) => instance.index !== killed.index)) {
      expect(survivor.published).toBeGreaterThan(0);
      expect(survivor.delivered).toBeGreaterThan(0);
    }
    expect(report.run.procs).toBe(4);
    expect(report.run.remoteWorkers).toBe(2);
    const localPids = parseLogLines(result.stderr).find((line) => Array.isArray(line.pids))?.pids ?? [];
    expect(localPids).toHaveLength(2);
    expectNothingLeft([...localPids, ...workers.map((worker) => worker.pid)]);
  }, 90_000);

  it('kill-worker on a remote worker: it kills itself, the others run on, the run passes', async () => {
    const { file, listen, json, harness } = await listeningRun('kill', [
      '--procs=1',
      '--expect-workers=2',
      `--redis=${inject('redisUrl')}`,
      '--rate=300',
      '--duration=5s',
      '--warmup=1s',
      '--fault=kill-worker@2s',
      '--fault-target=2',
    ]);
    const workers = [1, 2].map(() => startRemoteWorker(`ws://${listen}`, ['--token-file', file]));
    const result = await harness;
    const done = await Promise.all(workers);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = await readReport(json);
    const target = report.instances[2]!;
    const targetProcess = workers.findIndex((worker) => worker.pid === target.pid);
    expect(report.faults?.[0]?.detail).toBe(
      `worker 2 (pid ${target.pid}) killed itself with SIGKILL on the coordinator's order`,
    );
    expect(target.exit).toMatchObject({ signal: 'SIGKILL' });
    expect(done[targetProcess]?.signal).toBe('SIGKILL');
    expect(report.totals.lostOutsideFaults).toBe(0);
    for (const survivor of report.instances.slice(0, 2)) expect(survivor.exit).toBeNull();
    expectNothingLeft(workers.map((worker) => worker.pid));
  }, 90_000);

  it('refuses a fault that signals a worker when the target may be remote, naming the fix', async () => {
    const { file } = await tokenFile(tempDir(), 'refused.token');
    const result = await startHarness([
      '--listen=127.0.0.1:0',
      '--expect-workers=2',
      `--token-file=${file}`,
      '--fault=stop-worker@1s:500ms',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      "evbridge harness: --fault stop-worker@1s:500ms signals the target worker's process (SIGSTOP), and 2 remote workers (evbridge-worker over the control channel) run on other hosts where no signal of the coordinator reaches; drop it",
    );
  });

  it('stops with who arrived and the fix when not every remote worker came in time', async () => {
    const { file } = await tokenFile(tempDir(), 'late.token');
    const listen = await freeListenAddress();
    const harness = startHarness([
      '--listen',
      listen,
      '--expect-workers=2',
      '--arrival-timeout=3s',
      `--token-file=${file}`,
      `--redis=${inject('redisUrl')}`,
    ]);
    const alone = startRemoteWorker(`ws://${listen}`, ['--token-file', file]);
    const result = await harness;
    await alone;
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `evbridge harness: 1 of 2 remote workers arrived within 3 s (worker 0 from ${hostname()} (pid ${alone.pid})): start the others with \`pnpm evbridge-worker --coordinator ws://${listen} --token-file ${file}\`, or give them longer with --arrival-timeout`,
    );
    expectNothingLeft([alone.pid]);
  }, 60_000);

  it('wss:// with a CA: workers that trust it pass; one without the CA is refused and counted', async () => {
    const certs = await makeCertificates(tempDir());
    const { file, listen, json, harness } = await listeningRun('tls', [
      '--expect-workers=2',
      `--tls-cert=${certs.certFile}`,
      `--tls-key=${certs.keyFile}`,
      `--redis=${inject('redisUrl')}`,
      ...SHORT,
    ]);
    const log = watchLog(harness);
    const url = `wss://${listen}`;
    const untrusting = await startRemoteWorker(url, ['--token-file', file, '--connect-timeout=20s']);
    expect(untrusting.exitCode).toBe(1);
    expect(untrusting.stderr).toMatch(/certificate is not trusted .*give --ca FILE/);
    await log.until((line) => /closed a connection/.test(String(line.msg)));
    const workers = [1, 2].map(() => startRemoteWorker(url, ['--token-file', file, '--ca', certs.caFile]));
    const result = await harness;
    const done = await Promise.all(workers);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const worker of done) expect(worker.exitCode, worker.stderr).toBe(0);
    const report = await readReport(json);
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.control?.listen).toBe(url);
    expectNothingLeft(workers.map((worker) => worker.pid));
    expect(report.control?.refused).toEqual({
      badProof: 0,
      garbage: 1,
      oversize: 0,
      slow: 0,
      overLimit: 0,
      surplus: 0,
    });
  }, 90_000);
});
