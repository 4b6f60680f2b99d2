// --topology=cluster end to end on real processes: the harness starts a private Redis Cluster (6 redis-server
// processes), 3 workers exchange events over sharded pub/sub, kill-node SIGKILLs a shard master 2 s in; the report
// shows the fault landed, was noticed, recovered and lost only inside its window, and nothing outlives the run, even
// a SIGKILLed coordinator.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPath } from '../src/fleet/pid-namespace.js';
import type { Report } from '../src/model/report.js';
import { isProgressLine, parseLogLines, startHarness, watchLog } from './support/harness-cli.js';
import { survivorsAfter, watchDescendants, type ProcessId } from './support/process-tree.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-topology-cluster-');
const GONE_WITHIN_MS = 5000;
/** redis-server (a link to redis-check-rdb on Debian) retitles itself `redis-server 127.0.0.1:port [cluster]`. */
const isRedisServer = (process: ProcessId): boolean => /redis-server/.test(process.argv[0] ?? '');

describe('--topology=cluster', () => {
  it('kill-node: a shard master dies, its replica takes over, the bridges recover, the run passes', async () => {
    const jsonPath = join(tempDir(), 'kill-node.json');
    const run = startHarness([
      '--topology=cluster',
      '--procs=3',
      '--rate=300',
      '--duration=7s',
      '--warmup=1s',
      '--drain-timeout=3s',
      '--fault=kill-node@2s',
      '--threshold=recovery<8s',
      `--json=${jsonPath}`,
    ]);
    const tree = watchDescendants(run.pid ?? 0);
    const result = await run;
    const processes = tree.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    // Six nodes started (the log names their pids), and no process of the run is left.
    const started = parseLogLines(result.stderr).find((line) =>
      String(line.msg).startsWith('private redis cluster started'),
    );
    expect(started?.redisPids, result.stderr).toHaveLength(6);
    expect(processes.filter(isRedisServer).length).toBeGreaterThanOrEqual(6);
    expect(await survivorsAfter(processes, GONE_WITHIN_MS)).toEqual([]);
    // The password (48 hex digits after a ':' before the '@' of a URL) never reaches the output or the report.
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/:[0-9a-f]{48}@/);
    expect(await readFile(jsonPath, 'utf8')).not.toMatch(/:[0-9a-f]{48}@/);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.run.redis.topology).toBe('cluster');
    expect(report.run.redis.url).toMatch(/^redis\+cluster:\/\/(127\.0\.0\.1:\d+,){5}127\.0\.0\.1:\d+$/);
    const [fault] = report.faults ?? [];
    expect(fault?.kind).toBe('kill-node');
    expect(fault?.status, fault?.error ?? '').toBe('injected');
    expect(fault?.detail).toMatch(/^SIGKILLed shard \d's master 127\.0\.0\.1:\d+ \(pid \d+\); its replica/);
    expect(fault?.noticed.map((notice) => notice.worker).sort()).toEqual([0, 1, 2]);
    expect(fault?.recovered).toBe(true);
    expect(fault?.verdict.allowed, fault?.verdict.explanation).toBe(true);
    expect(report.totals.lostOutsideFaults).toBe(0);
    expect(report.totals.duplicates).toBe(0);
    expect(report.totals.lost).toBe(fault?.lost);
  }, 90_000);

  it.skipIf(process.platform !== 'linux' || !onPath('setpriv'))(
    'a SIGKILLed coordinator leaves no cluster node behind (parent-death signal)',
    async () => {
      const run = startHarness(['--topology=cluster', '--procs=2', '--rate=100', '--duration=30s', '--warmup=0s']);
      const tree = watchDescendants(run.pid ?? 0);
      const log = watchLog(run);
      await log.until(isProgressLine);
      const nodes = tree.seen.filter(isRedisServer);
      expect(nodes.length, log.text).toBeGreaterThanOrEqual(6);
      run.kill('SIGKILL');
      await run.catch(() => undefined);
      const processes = tree.stop();
      expect(await survivorsAfter(processes, GONE_WITHIN_MS)).toEqual([]);
    },
    60_000,
  );
});
