// The helper the no-orphan tests rely on knows a process by its executable and command line, not by its name, which
// Node 24+ sets to its main thread's ("MainThread"). Real processes, Linux /proc.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { descendantsOf, runsNodeScript, survivorsAfter } from './support/process-tree.js';

const script = fileURLToPath(new URL('./fixtures/renames-itself.mjs', import.meta.url));
const started: { kill(): boolean }[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill();
});

describe.skipIf(process.platform !== 'linux')('process-tree', () => {
  it('finds node running a script after it renamed itself, and not a launcher that names the script too', async () => {
    const node = execa(process.execPath, [script], { stdin: 'ignore', reject: false });
    // A shell with the script among its own arguments, as setpriv and unshare have it, waiting on a builtin (no child).
    const launcher = execa('sh', ['-c', 'read line', 'launcher', script], { stdin: 'pipe', reject: false });
    started.push(node, launcher);
    await new Promise<void>((resolve) => node.stdout.once('data', () => resolve()));

    const seen = descendantsOf(process.pid);
    const nodeSeen = seen.find((proc) => proc.pid === node.pid);
    const launcherSeen = seen.find((proc) => proc.pid === launcher.pid);
    expect(nodeSeen?.name, 'the fixture renamed itself, so a search by the name "node" misses it').toBe('MainThread');
    expect(runsNodeScript(nodeSeen!, script)).toBe(true);
    expect(launcherSeen?.argv).toContain(script);
    expect(runsNodeScript(launcherSeen!, script)).toBe(false);
    expect(seen.filter((proc) => runsNodeScript(proc, script)).map((proc) => proc.pid)).toEqual([node.pid]);

    node.kill('SIGKILL');
    launcher.kill('SIGKILL');
    await Promise.all([node, launcher]);
    const left = await survivorsAfter([nodeSeen!, launcherSeen!], 5000);
    expect(left).toEqual([]);
  });
});
