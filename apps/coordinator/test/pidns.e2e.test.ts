// --isolate=pidns end to end on real processes: every worker is pid 1 of its own PID namespace (setpriv + unshare),
// the report shows both pids, --identity=pid collides there, and no process outlives the run on any path (success,
// Ctrl-C to the process group, SIGKILL of the coordinator, a worker SIGKILLed from outside, the worker faults).
// "No process left" is checked on every descendant of the harness seen while it ran, gathered from /proc.
// Skipped, with the reason printed, where unshare cannot make a PID namespace (not Linux, not root, no util-linux).
import { execa, execaNode } from 'execa';
import { mkdir, readFile, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { pickTarget } from '../src/faults/fault-target.js';
import { pidnsAvailable } from '../src/fleet/pid-namespace.js';
import { WORKER_ENTRY } from '../src/fleet/process-worker.js';
import type { Report } from '../src/model/report.js';
import { fixture, runWithWorkerEntry } from './support/fixture-run.js';
import {
  HARNESS_ENV_UNSET,
  HARNESS_MAIN,
  isProgressLine,
  parseLogLines,
  startHarness,
  watchLog,
} from './support/harness-cli.js';
import { runsNodeScript, stateOf, survivorsAfter, watchDescendants, type ProcessId } from './support/process-tree.js';
import { useTempDir } from './support/temp-dir.js';

const probe = await pidnsAvailable();
if (!probe.available) console.warn(`pidns e2e tests skipped: ${probe.reason}`);

const SHORT = ['--isolate=pidns', '--procs=3', '--rate=300', '--duration=2s', '--warmup=500ms'];
const LONG = ['--isolate=pidns', '--procs=3', '--rate=300', '--duration=30s', '--warmup=0s'];
/** Orphans are reaped by this host's pid 1 about once a second: a zombie counts as gone, a process gets 5 s. */
const GONE_WITHIN_MS = 5000;

const tempDir = useTempDir('evbridge-pidns-');

/** Runs the harness, gathering every process under it while it runs. */
function startWatched(args: string[], options: { ownGroup?: boolean } = {}) {
  const run = options.ownGroup
    ? // Its own process group, so the test can signal the group as a terminal's Ctrl-C does.
      execaNode(HARNESS_MAIN, args, {
        reject: false,
        env: HARNESS_ENV_UNSET,
        stdin: 'ignore',
        timeout: 120_000,
        detached: true,
      })
    : startHarness(args);
  const tree = watchDescendants(run.pid!);
  return { run, tree, log: watchLog(run) };
}

/** The workers among `processes` (node running `entry`) that are pid 1 of a namespace, each with its host pid. */
function namespaceInits(processes: readonly ProcessId[], entry = WORKER_ENTRY): ProcessId[] {
  return processes.filter(
    (process) => runsNodeScript(process, entry) && process.nsPids.length === 2 && process.nsPids[1] === 1,
  );
}

async function expectNothingLeft(processes: readonly ProcessId[]): Promise<void> {
  const left = await survivorsAfter(processes, GONE_WITHIN_MS);
  expect(left, `outlived the run: ${JSON.stringify(left)}`).toEqual([]);
}

/** SIGKILLs the coordinator of a 3-worker run; every process seen under it, the 3 namespaces' node included, must go. */
async function sigkillLeavesNothing({
  run,
  tree,
}: Pick<ReturnType<typeof startWatched>, 'run' | 'tree'>): Promise<void> {
  run.kill('SIGKILL');
  await run;
  const processes = tree.stop();
  expect(namespaceInits(processes)).toHaveLength(3);
  await expectNothingLeft(processes);
}

describe.skipIf(!probe.available)('--isolate=pidns on real processes', () => {
  it('default identity: each worker is pid 1 of its own namespace, distinct host pids, a clean pass', async () => {
    const jsonPath = join(tempDir(), 'default.json');
    const { run, tree, log } = startWatched([...SHORT, '--log-level=debug', `--json=${jsonPath}`]);
    // While it measures: three node processes, each pid 1 of a namespace one level below this one.
    await log.until(isProgressLine);
    tree.sample();
    const inits = namespaceInits(tree.seen);
    const result = await run;
    const processes = tree.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.run.isolate).toBe('pidns');
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.totals.amplification).toBe(2);
    const ownNamespace = await readlink('/proc/self/ns/pid');
    for (const instance of report.instances) {
      expect(instance.pid).toBe(1);
      expect(instance.hostPid).toBeGreaterThan(1);
      expect(instance.pidNamespace).toMatch(/^pid:\[\d+\]$/);
      expect(instance.pidNamespace).not.toBe(ownNamespace);
      expect(instance.exit).toBeNull();
    }
    const hostPids = report.instances.map((instance) => instance.hostPid);
    expect(new Set(hostPids).size).toBe(3);
    expect(new Set(report.instances.map((instance) => instance.pidNamespace)).size).toBe(3);
    // The host pids the report names are the node processes that were pid 1 inside.
    expect(inits.map((init) => init.pid).sort()).toEqual([...hostPids].sort());
    // The workers' log lines, relayed by the coordinator, name each worker by the pid the host knows it by.
    const workerLines = parseLogLines(result.stderr).filter((line) => line.worker !== undefined);
    expect(workerLines.length).toBeGreaterThan(0);
    for (const line of workerLines) expect(line.workerPid).toBe(hostPids[line.worker as number]);
    expect(result.stdout).toContain('PASS');
    await expectNothingLeft(processes);
  }, 60_000);

  it('--identity=pid: every worker is pid 1, so the ids collide: exit 2 naming why and the fix', async () => {
    const { run, tree } = startWatched([...SHORT, '--identity=pid']);
    const result = await run;
    const processes = tree.stop();
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('identity collision');
    expect(result.stderr).toContain('pid 1');
    expect(result.stderr).toContain('drop --identity=pid');
    expect(namespaceInits(processes)).toHaveLength(3);
    await expectNothingLeft(processes);
  }, 60_000);

  it("Ctrl-C (SIGINT to the whole process group) while measuring: partial report with every worker's data, exit 130, nothing left", async () => {
    const jsonPath = join(tempDir(), 'sigint.json');
    const { run, tree, log } = startWatched([...LONG, `--json=${jsonPath}`], { ownGroup: true });
    await log.until((line) => /^\[measure/.test(String(line.msg)));
    tree.sample();
    // unshare and node get the SIGINT too: neither may end the worker before the coordinator's orderly stop.
    process.kill(-run.pid!, 'SIGINT');
    const result = await run;
    const processes = tree.stop();
    expect(result.exitCode, result.stderr).toBe(130);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.outcome).toBe('interrupted');
    expect(report.problems.filter((problem) => problem.worker !== undefined)).toEqual([]);
    expect(report.totals.lost).toBe(0);
    expect(report.totals.deliveryRatio).toBe(1);
    for (const instance of report.instances) {
      expect(instance.exit).toBeNull();
      expect(instance.published).toBeGreaterThan(0);
    }
    expect(namespaceInits(processes)).toHaveLength(3);
    await expectNothingLeft(processes);
  }, 60_000);

  it('SIGKILL of the coordinator: unshare dies of its parent-death signal and takes node with it', async () => {
    const { run, tree, log } = startWatched(LONG);
    await log.until(isProgressLine);
    tree.sample();
    await sigkillLeavesNothing({ run, tree });
  }, 60_000);

  it('SIGKILL of the coordinator while a worker is stopped (SIGSTOP): it cannot see the IPC close, --kill-child ends it', async () => {
    const { run, tree, log } = startWatched([...LONG, '--fault=stop-worker@1s:20s', '--fault-target=0']);
    await log.until(isProgressLine);
    const stopped = await tree.until((seen) => namespaceInits(seen).find((init) => stateOf(init) === 'T'), 15_000);
    expect(stopped, log.text).toBeDefined();
    await sigkillLeavesNothing({ run, tree });
  }, 60_000);

  it('a worker SIGKILLed from outside by its host pid: exit 2 naming it "was killed by SIGKILL", nothing left', async () => {
    const jsonPath = join(tempDir(), 'killed.json');
    const { run, tree, log } = startWatched([...LONG, `--json=${jsonPath}`]);
    await log.until(isProgressLine);
    tree.sample();
    const victim = namespaceInits(tree.seen)[0]!.pid;
    process.kill(victim, 'SIGKILL');
    const result = await run;
    const processes = tree.stop();
    expect(result.exitCode, result.stderr).toBe(2);
    const named = new RegExp(`worker (\\d) \\(pid ${victim}\\) was killed by SIGKILL`).exec(result.stderr);
    expect(named, result.stderr).not.toBeNull();
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    const row = report.instances[Number(named![1])]!;
    expect(row.hostPid).toBe(victim);
    expect(row.exit).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    await expectNothingLeft(processes);
  }, 60_000);

  const FAULT_BASE = [
    ...SHORT.filter((arg) => !arg.startsWith('--duration')),
    '--duration=4s',
    '--drain-timeout=3s',
    '--threshold=recovery<6s',
  ];

  it('fault kill-worker@1s: node (not its launcher) is SIGKILLed, reported as in procs mode; the others run on', async () => {
    const seed = 4242;
    const jsonPath = join(tempDir(), 'kill-worker.json');
    const { run, tree } = startWatched([
      ...FAULT_BASE,
      '--fault=kill-worker@1s',
      `--fault-seed=${seed}`,
      `--json=${jsonPath}`,
    ]);
    const result = await run;
    const processes = tree.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    const fault = report.faults![0]!;
    const index = pickTarget(seed, 3);
    const killed = report.instances[index]!;
    expect(fault.status, fault.error ?? '').toBe('injected');
    expect(fault.target).toMatchObject({ type: 'worker', index, pid: killed.hostPid });
    expect(fault.detail).toBe(`worker ${index} (pid ${killed.hostPid}) killed by SIGKILL`);
    expect(killed.exit).toEqual({ exitCode: null, signal: 'SIGKILL', reason: 'killed by fault kill-worker@1s' });
    expect(fault.recovered).toBe(true);
    expect(report.totals.lostOutsideFaults).toBe(0);
    for (const survivor of report.instances.filter((instance) => instance.index !== index)) {
      expect(survivor.exit).toBeNull();
      expect(survivor.lost).toBe(0);
    }
    expect(report.problems).toEqual([]);
    expect(namespaceInits(processes)).toHaveLength(3);
    await expectNothingLeft(processes);
  }, 60_000);

  it('fault stop-worker@1s:500ms: SIGSTOP/SIGCONT reach node as pid 1 from the host; it stalls, recovers, loses nothing', async () => {
    const jsonPath = join(tempDir(), 'stop-worker.json');
    const { run, tree } = startWatched([
      ...FAULT_BASE,
      '--fault=stop-worker@1s:500ms',
      '--fault-target=2',
      `--json=${jsonPath}`,
    ]);
    const result = await run;
    const processes = tree.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    const fault = report.faults![0]!;
    expect(fault.status, fault.error ?? '').toBe('injected');
    expect(fault.target).toMatchObject({ type: 'worker', index: 2, pid: report.instances[2]!.hostPid });
    expect(fault.detail).toMatch(
      new RegExp(`^worker 2 \\(pid ${report.instances[2]!.hostPid}\\) stopped for \\d+ ms$`),
    );
    // Had the stop missed node, its peers would have heard from it without a pause.
    expect(fault.recovered).toBe(true);
    expect(fault.recoveryMs).toBeGreaterThanOrEqual(400);
    expect(fault.lost).toBe(0);
    expect(report.totals.lost).toBe(0);
    expect(report.instances.every((instance) => instance.exit === null)).toBe(true);
    expect(namespaceInits(processes)).toHaveLength(3);
    await expectNothingLeft(processes);
  }, 60_000);
});

/** Runs the harness in this process with every worker started from `entry` in its own PID namespace. */
async function runFixture(entry: string, args: string[]) {
  const tree = watchDescendants(process.pid);
  const result = await runWithWorkerEntry(entry, [
    '--isolate=pidns',
    '--procs=2',
    '--duration=5s',
    '--warmup=0s',
    ...args,
  ]);
  return { result, processes: tree.stop() };
}

describe.skipIf(!probe.available)('--isolate=pidns: a worker that fails before its hello', () => {
  it('exits at once: named with its exit code (unshare passes it through), nothing left', async () => {
    const { result, processes } = await runFixture(fixture('worker-exits-at-once.mjs'), []);
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatch(/^worker \d \(pid \d+\) exited with code 3$/);
    await expectNothingLeft(processes);
  });

  it('never says hello and ignores shutdown: timed out, then SIGKILLed through its host pid (not yet learnt from a hello)', async () => {
    const entry = fixture('worker-never-says-hello.mjs');
    const { result, processes } = await runFixture(entry, ['--ready-timeout=2s']);
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatch(/^worker \d \(pid \d+\) sent no "hello" within 2000 ms/);
    expect(namespaceInits(processes, entry)).toHaveLength(2);
    await expectNothingLeft(processes);
  }, 30_000);
});

describe('--isolate=pidns preflight: one line naming the fix, exit 2, no worker started', () => {
  const expectRefused = (result: { exitCode?: number; stderr: string }, fix: string): void => {
    expect(result.exitCode, result.stderr).toBe(2);
    const lastLine = result.stderr.trim().split('\n').at(-1)!;
    expect(lastLine).toMatch(
      /^evbridge harness: --isolate=pidns needs Linux, root \(CAP_SYS_ADMIN\) and util-linux unshare and setpriv: /,
    );
    expect(lastLine).toContain(fix);
    expect(result.stderr).not.toMatch(/forked \d+ workers/);
  };

  it.skipIf(process.platform !== 'linux')(
    'without util-linux on PATH: names the missing tool and the package',
    async () => {
      // A PATH that holds node and nothing else. Not execaNode: it would put node's own directory (often /usr/bin) on PATH.
      const bin = join(tempDir(), 'bin-node-only');
      await mkdir(bin, { recursive: true });
      await symlink(process.execPath, join(bin, 'node')).catch(() => undefined);
      const result = await execa(
        process.execPath,
        [HARNESS_MAIN, '--isolate=pidns', '--procs=2', `--redis=${inject('redisUrl')}`],
        {
          reject: false,
          stdin: 'ignore',
          env: { ...HARNESS_ENV_UNSET, PATH: bin },
          timeout: 30_000,
        },
      );
      expectRefused(
        result,
        'setpriv is not on PATH; install util-linux (apt-get install util-linux) or drop --isolate',
      );
    },
    30_000,
  );

  it.skipIf(!probe.available)(
    'without CAP_SYS_ADMIN: unshare is refused, the fix is to run as root',
    async () => {
      // Root with CAP_SYS_ADMIN dropped from the bounding set (so from every process it starts): still able to read the
      // checkout wherever it is (an unprivileged uid may not enter a private temporary directory), refused a namespace.
      const args = [
        '--bounding-set=-sys_admin',
        process.execPath,
        HARNESS_MAIN,
        '--isolate=pidns',
        '--procs=2',
        `--redis=${inject('redisUrl')}`,
      ];
      const result = await execa('setpriv', args, {
        reject: false,
        stdin: 'ignore',
        env: HARNESS_ENV_UNSET,
        timeout: 30_000,
      });
      expectRefused(result, 'Operation not permitted; run as root (CAP_SYS_ADMIN) or drop --isolate');
    },
    30_000,
  );
});
