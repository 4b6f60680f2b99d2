// Test "hosts" made of Linux namespaces: each its own network namespace (a veth pair to a bridge that lives in a
// switch namespace of its own, so no address or link appears outside what the test made), its own UTS namespace (its
// own hostname) and its own time namespace (a monotonic clock seconds away from ours). Root only; everything made is
// named after the test process, removed by destroy() on every path, and swept by the next run if a test was killed.
import { execa } from 'execa';
import { isAlive } from './harness-cli.js';

export interface HostSpec {
  /** The hostname its processes see (UTS namespace). */
  hostname: string;
  /** How far its monotonic clock is from ours, in whole seconds (time namespace); negative is bounded by uptime. */
  monotonicOffsetS: number;
}

export interface TestHost extends HostSpec {
  /** Its network namespace's name. */
  netns: string;
  /** Its address on the test network. */
  address: string;
}

const PROCESS_OPTIONS = { reject: false, stdin: 'ignore' } as const;
/** A process on a test host (execa's, never rejecting: the test reads its exit). */
const spawnProcess = (file: string, args: readonly string[], env: Record<string, string | undefined>) =>
  execa(file, args, { ...PROCESS_OPTIONS, env });
export type HostProcess = ReturnType<typeof spawnProcess>;

export interface TestNetwork {
  /** Where the coordinator runs: its own network namespace, our clock, two addresses (the coordinator's, Redis's). */
  hub: { netns: string; address: string; redisAddress: string };
  hosts: TestHost[];
  /** Runs `file args` on `host`: in its network namespace, with its hostname and its clock. */
  run(host: TestHost, file: string, args: readonly string[], env?: Record<string, string | undefined>): HostProcess;
  /** Runs `file args` in the hub's network namespace (our clock and hostname). */
  runOnHub(file: string, args: readonly string[], env?: Record<string, string | undefined>): HostProcess;
  /** Every namespace this network made, the switch's included. */
  readonly namespaces: readonly string[];
  /** The pids of every process still running in any of its namespaces. */
  processes(): Promise<number[]>;
  /** Kills every process in its namespaces and deletes them (their links go with them). Safe to call twice. */
  destroy(): Promise<void>;
}

/** Every name starts with this and the test process's pid, so a later run can tell whose leftovers they are. */
const PREFIX = 'evbt';
const NAME = /^evbt(\d+)-/;

/** Why this machine cannot build test hosts, or undefined when it can. */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'Linux namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'making network and time namespaces needs root';
  const ip = await execa('ip', ['-V'], { reject: false });
  if (ip.failed) return 'the `ip` command (iproute2) is missing';
  const time = await execa('unshare', ['--time', '--monotonic', '1', '--fork', 'true'], { reject: false });
  if (time.failed) return `unshare cannot make a time namespace here (${time.stderr.trim() || time.shortMessage})`;
  return undefined;
}

const ip = (...args: string[]) => execa('ip', args);

async function listNamespaces(): Promise<string[]> {
  const { stdout } = await execa('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter(Boolean);
}

/** The pids of the processes in `netns` (none once it is gone). */
async function pidsIn(netns: string): Promise<number[]> {
  const pids = await execa('ip', ['netns', 'pids', netns], { reject: false });
  return pids.stdout.split('\n').filter(Boolean).map(Number);
}

/** Kills every process in `netns` (SIGKILL) and deletes it; a namespace already gone is fine. */
async function removeNamespace(netns: string): Promise<void> {
  for (const pid of await pidsIn(netns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  await execa('ip', ['netns', 'delete', netns], { reject: false });
}

/** Removes what an earlier test process left behind when it was killed before its cleanup ran. */
export async function sweepLeftovers(): Promise<string[]> {
  const stale = (await listNamespaces()).filter((name) => {
    const owner = NAME.exec(name)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !isAlive(Number(owner));
  });
  for (const netns of stale) await removeNamespace(netns);
  return stale;
}

/** The namespaces this process made that still exist (after destroy(): none). */
export async function ownNamespaces(): Promise<string[]> {
  return (await listNamespaces()).filter((name) => NAME.exec(name)?.[1] === String(process.pid));
}

let networks = 0;

/**
 * Builds the hub and one test host per spec on a /24 of its own. Anything that fails half-way is removed before the
 * error is thrown.
 */
export async function createTestNetwork(specs: readonly HostSpec[]): Promise<TestNetwork> {
  networks += 1;
  const tag = `${PREFIX}${process.pid}-${networks}`;
  const subnet = `10.${200 + (process.pid % 50)}.${networks % 250}`;
  const made: string[] = [];
  const sw = `${tag}-sw`;
  const hubNs = `${tag}-hub`;
  const hosts: TestHost[] = specs.map((spec, index) => ({
    ...spec,
    netns: `${tag}-h${index + 1}`,
    address: `${subnet}.${11 + index}`,
  }));
  const destroy = async (): Promise<void> => {
    // Hosts before the switch: their processes die first, then the links the bridge holds go with the namespaces.
    for (const netns of [...made].reverse()) await removeNamespace(netns);
    made.length = 0;
  };
  try {
    await ip('netns', 'add', sw);
    made.push(sw);
    await ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', sw, 'link', 'set', 'br0', 'up');
    const attach = async (netns: string, port: number, addresses: string[]): Promise<void> => {
      await ip('netns', 'add', netns);
      made.push(netns);
      await ip('-n', netns, 'link', 'set', 'lo', 'up');
      await ip('-n', netns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${port}`, 'netns', sw);
      await ip('-n', sw, 'link', 'set', `p${port}`, 'master', 'br0', 'up');
      for (const address of addresses) await ip('-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      await ip('-n', netns, 'link', 'set', 'eth0', 'up');
    };
    const hub = { netns: hubNs, address: `${subnet}.1`, redisAddress: `${subnet}.2` };
    await attach(hubNs, 0, [hub.address, hub.redisAddress]);
    for (const [index, host] of hosts.entries()) await attach(host.netns, index + 1, [host.address]);
    return {
      hub,
      hosts,
      namespaces: made,
      processes: async () => (await Promise.all(made.map(pidsIn))).flat(),
      run: (host, file, args, env = {}) =>
        spawnProcess(
          'ip',
          [
            'netns',
            'exec',
            host.netns,
            'unshare',
            '--uts',
            '--time',
            '--monotonic',
            String(host.monotonicOffsetS),
            '--fork',
            '--kill-child',
            '--',
            'sh',
            '-c',
            'hostname "$1" && shift && exec "$@"',
            'sh',
            host.hostname,
            file,
            ...args,
          ],
          env,
        ),
      runOnHub: (file, args, env = {}) => spawnProcess('ip', ['netns', 'exec', hubNs, file, ...args], env),
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** Runs `body` on a fresh test network and removes the network afterwards, whether `body` succeeded or threw. */
export async function withTestNetwork<T>(
  specs: readonly HostSpec[],
  body: (network: TestNetwork) => Promise<T>,
): Promise<T> {
  const network = await createTestNetwork(specs);
  try {
    return await body(network);
  } finally {
    await network.destroy();
  }
}
