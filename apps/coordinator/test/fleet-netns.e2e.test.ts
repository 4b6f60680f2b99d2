// Five test hosts made of Linux namespaces (support/netns-hosts.ts), each an evbridge-worker with its own network
// namespace and address, its own hostname and its own monotonic clock, seconds to a day away from the coordinator's;
// the coordinator and its private redis-server on addresses of their own in a hub namespace. The run passes with
// every event delivered, five distinct hosts, every clock estimated within its uncertainty of the namespace's true
// offset, and nothing the test made is left, also when it fails. Root only; skipped with the reason otherwise.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { HARNESS_MAIN } from './support/harness-cli.js';
import {
  netnsUnavailable,
  ownNamespaces,
  sweepLeftovers,
  withTestNetwork,
  type HostSpec,
} from './support/netns-hosts.js';
import { REMOTE_WORKER_MAIN, tokenFile } from './support/remote-workers.js';
import { useTempDir } from './support/temp-dir.js';

const unavailable = await netnsUnavailable();
if (unavailable !== undefined) console.warn(`namespace fleet test skipped: ${unavailable}`);

const tempDir = useTempDir('evbridge-netns-fleet-');
const PORT = 7400;

/** Five hosts; negative offsets stay within this host's uptime (the kernel refuses a clock below zero). */
const HOSTS: HostSpec[] = [
  { hostname: 'evb-host-1', monotonicOffsetS: 0 },
  { hostname: 'evb-host-2', monotonicOffsetS: 37 },
  { hostname: 'evb-host-3', monotonicOffsetS: 86_400 },
  { hostname: 'evb-host-4', monotonicOffsetS: -5 },
  { hostname: 'evb-host-5', monotonicOffsetS: 600 },
];

describe.skipIf(unavailable !== undefined)('a fleet of 5 namespace hosts', () => {
  it('passes with every event delivered, 5 distinct hosts and every clock offset measured; leaves nothing', async () => {
    await sweepLeftovers();
    const { file, token } = await tokenFile(tempDir(), 'fleet.token');
    const json = join(tempDir(), 'fleet.json');
    await withTestNetwork(HOSTS, async (network) => {
      const listen = `${network.hub.address}:${PORT}`;
      const harness = network.runOnHub(process.execPath, [
        HARNESS_MAIN,
        `--listen=${listen}`,
        '--expect-workers=5',
        `--token-file=${file}`,
        `--redis-bind=${network.hub.redisAddress}`,
        '--rate=500',
        '--duration=4s',
        '--warmup=1s',
        '--arrival-timeout=60s',
        `--json=${json}`,
      ]);
      const workers = network.hosts.map((host) =>
        network.run(host, process.execPath, [
          REMOTE_WORKER_MAIN,
          '--coordinator',
          `ws://${listen}`,
          '--token-file',
          file,
        ]),
      );
      const result = await harness;
      const done = await Promise.all(workers);
      expect(result.exitCode, result.stderr).toBe(0);
      for (const worker of done) expect(worker.exitCode, worker.stderr).toBe(0);
      const report = JSON.parse(await readFile(json, 'utf8')) as Report;
      expect(report.outcome).toBe('complete');
      expect(report.totals.lost).toBe(0);
      expect(report.totals.deliveryRatio).toBe(1);
      expect(new Set(report.instances.map((instance) => instance.host))).toEqual(
        new Set(HOSTS.map((host) => host.hostname)),
      );
      // The private Redis listened on its own address in the hub, not on loopback.
      expect(report.run.redis.private).toBe(true);
      expect(new URL(report.run.redis.url).hostname).toBe(network.hub.redisAddress);
      const rows: string[] = [];
      for (const instance of report.instances) {
        const host = HOSTS.find((spec) => spec.hostname === instance.host)!;
        expect(instance.clock).toBe('estimated');
        const uncertaintyUs = instance.clockUncertaintyUs ?? Number.NaN;
        expect(uncertaintyUs).toBeGreaterThan(0);
        expect(Math.abs(instance.clockOffsetUs - host.monotonicOffsetS * 1e6)).toBeLessThanOrEqual(uncertaintyUs);
        rows.push(
          `${instance.host}: namespace offset ${host.monotonicOffsetS} s, measured ${instance.clockOffsetUs} us +- ${uncertaintyUs} us`,
        );
      }
      // Latency measured across five clocks up to a day apart: corrected, it is milliseconds, not seconds or days.
      expect(report.latencyUs.p99).toBeLessThan(1_000_000);
      expect(report.latencyUs.clockErrorBoundUs).toBeGreaterThan(0);
      console.info(
        `5 namespace hosts: latency p50 ${report.latencyUs.p50} us, p99 ${report.latencyUs.p99} us, clock error bound ${report.latencyUs.clockErrorBoundUs} us\n${rows.join('\n')}`,
      );
      for (const text of [result.stderr, result.stdout, ...done.map((worker) => worker.stderr)])
        expect(text).not.toContain(token);
      // The harness, its private redis-server and every worker ended by themselves, before the cleanup's SIGKILL.
      expect(await network.processes()).toEqual([]);
    });
    expect(await ownNamespaces()).toEqual([]);
  }, 120_000);
});
