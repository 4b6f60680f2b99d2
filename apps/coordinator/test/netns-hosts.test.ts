// The namespace test hosts themselves (support/netns-hosts.ts): each has its own address, hostname and monotonic
// clock, they reach each other and the hub over the test's bridge only, and nothing they made outlives them, also when
// the test body throws. Root only; skipped with the reason otherwise.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { isAlive } from './support/harness-cli.js';
import {
  type HostProcess,
  netnsUnavailable,
  ownNamespaces,
  sweepLeftovers,
  withTestNetwork,
} from './support/netns-hosts.js';

const unavailable = await netnsUnavailable();
if (unavailable !== undefined) console.warn(`namespace host tests skipped: ${unavailable}`);

const NODE = process.execPath;
/** Prints what a process on a test host sees: its hostname, its monotonic clock in seconds, its addresses. */
const WHO_AM_I = `
const os = require('node:os');
const addresses = Object.values(os.networkInterfaces()).flat().filter((a) => a.family === 'IPv4').map((a) => a.address);
console.log(JSON.stringify({ hostname: os.hostname(), monotonicS: Number(process.hrtime.bigint() / 1000000n) / 1000, addresses }));`;

const monotonicS = (): number => Number(process.hrtime.bigint() / 1_000_000n) / 1000;

describe.skipIf(unavailable !== undefined)('namespace test hosts', () => {
  it('gives each host its own hostname, address and clock, and reaches the hub over the bridge', async () => {
    await sweepLeftovers();
    await withTestNetwork(
      [
        { hostname: 'evb-host-a', monotonicOffsetS: 3600 },
        { hostname: 'evb-host-b', monotonicOffsetS: 0 },
      ],
      async (network) => {
        for (const host of network.hosts) {
          const before = monotonicS();
          const { stdout } = await network.run(host, NODE, ['-e', WHO_AM_I]);
          const after = monotonicS();
          const seen = JSON.parse(stdout) as { hostname: string; monotonicS: number; addresses: string[] };
          expect(seen.hostname).toBe(host.hostname);
          expect(seen.addresses.sort()).toEqual([host.address, '127.0.0.1'].sort());
          expect(seen.monotonicS - host.monotonicOffsetS).toBeGreaterThanOrEqual(before - 0.001);
          expect(seen.monotonicS - host.monotonicOffsetS).toBeLessThanOrEqual(after + 0.001);
        }
        // The hub listens on its address; each host connects to it through the bridge.
        const server = network.runOnHub(NODE, [
          '-e',
          `require('node:net').createServer((s) => s.end('hub')).listen(7999, '${network.hub.address}', () => console.log('up'))`,
        ]);
        await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
        for (const host of network.hosts) {
          const { stdout } = await network.run(host, NODE, [
            '-e',
            `require('node:net').connect(7999, '${network.hub.address}').on('data', (d) => console.log(String(d)))`,
          ]);
          expect(stdout.trim()).toBe('hub');
        }
        // Nothing of the test network is visible from here.
        const { stdout: ours } = await execa('ip', ['-o', 'addr']);
        expect(ours).not.toContain(network.hub.address);
        server.kill('SIGKILL');
        await server;
      },
    );
    expect(await ownNamespaces()).toEqual([]);
  });

  it('removes every namespace, link and process it made when the test body throws', async () => {
    let made: readonly string[] = [];
    let sleeper: HostProcess | undefined;
    await expect(
      withTestNetwork([{ hostname: 'evb-host-c', monotonicOffsetS: 60 }], async (network) => {
        made = [...network.namespaces];
        sleeper = network.run(network.hosts[0]!, 'sleep', ['600']);
        expect(isAlive(sleeper.pid!)).toBe(true);
        throw new Error('the test body failed');
      }),
    ).rejects.toThrow('the test body failed');
    expect(made.length).toBe(3);
    expect(await ownNamespaces()).toEqual([]);
    // Ended by the cleanup's SIGKILL, not by itself (it would have slept ten minutes).
    expect((await sleeper!).signal).toBe('SIGKILL');
  });
});
