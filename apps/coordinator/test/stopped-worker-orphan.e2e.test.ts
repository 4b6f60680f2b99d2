// A worker held stopped (SIGSTOP) cannot see its IPC channel close: if the coordinator is SIGKILLed then, only the
// parent-death signal the worker was started with (setpriv --pdeathsig, Linux) ends it. Real processes, procs mode.
import { describe, expect, it } from 'vitest';
import { onPath } from '../src/fleet/pid-namespace.js';
import { WORKER_ENTRY } from '../src/fleet/process-worker.js';
import { isProgressLine, startHarness, watchLog } from './support/harness-cli.js';
import { runsNodeScript, stateOf, survivorsAfter, watchDescendants, type ProcessId } from './support/process-tree.js';

const supported = process.platform === 'linux' && onPath('setpriv');
if (!supported)
  console.warn('stopped-worker orphan test skipped: needs Linux and util-linux setpriv (parent-death signal)');

/** Orphans are reaped by this host's pid 1 about once a second: a zombie counts as gone, a process gets 5 s. */
const GONE_WITHIN_MS = 5000;

describe.skipIf(!supported)('SIGKILL of the coordinator while a worker is stopped', () => {
  it('leaves no process behind: the stopped worker dies of its parent-death signal', async () => {
    const run = startHarness([
      '--procs=3',
      '--rate=300',
      '--duration=30s',
      '--warmup=0s',
      '--fault=stop-worker@1s:20s',
      '--fault-target=0',
    ]);
    const tree = watchDescendants(run.pid!);
    const log = watchLog(run);
    await log.until(isProgressLine);
    const workers = (seen: ProcessId[]): ProcessId[] => seen.filter((p) => runsNodeScript(p, WORKER_ENTRY));
    const stopped = await tree.until((seen) => workers(seen).find((worker) => stateOf(worker) === 'T'), 15_000);
    expect(stopped, log.text).toBeDefined();
    run.kill('SIGKILL');
    await run;
    const processes = tree.stop();
    expect(workers(processes).length).toBeGreaterThanOrEqual(3);
    const left = await survivorsAfter(processes, GONE_WITHIN_MS);
    expect(left, `outlived the run: ${JSON.stringify(left)}`).toEqual([]);
  }, 60_000);
});
