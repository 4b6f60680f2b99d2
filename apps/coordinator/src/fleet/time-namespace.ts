// Test hosts with clocks of their own: a worker process in its own Linux time namespace, its CLOCK_MONOTONIC shifted
// by a whole number of seconds (`unshare --time --monotonic S --fork`), so clock correction meets real differences.
// Test-only (HarnessDeps.workerTimeOffsetsS); root only. The IPC channel's fd survives unshare, as with pidns.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { onPath } from './pid-namespace.js';

/** unshare's arguments that give its child a time namespace whose monotonic clock is `offsetS` seconds away. */
export function timeNamespaceArgs(offsetS: number): string[] {
  if (!Number.isSafeInteger(offsetS))
    throw new TypeError(`a time namespace offset must be a whole number of seconds, got ${offsetS}`);
  return ['--time', '--monotonic', String(offsetS)];
}

/**
 * The command that runs `command args` in a new time namespace `offsetS` seconds away, as unshare's forked child,
 * dying with this process (setpriv's parent-death signal kills unshare, whose --kill-child kills the child).
 */
export function timensCommand(
  command: string,
  args: readonly string[],
  offsetS: number,
): { file: string; args: string[] } {
  return {
    file: 'setpriv',
    args: [
      '--pdeathsig',
      'KILL',
      'unshare',
      ...timeNamespaceArgs(offsetS),
      '--fork',
      '--kill-child=SIGKILL',
      '--',
      command,
      ...args,
    ],
  };
}

export type TimensProbe = { available: true } | { available: false; reason: string };

/** Whether this host can make a time namespace `offsetS` seconds away (Linux 5.6+, root, util-linux unshare). */
export async function timensAvailable(offsetS = 1): Promise<TimensProbe> {
  if (process.platform !== 'linux') return { available: false, reason: `this is ${process.platform}, not Linux` };
  for (const tool of ['setpriv', 'unshare'])
    if (!onPath(tool)) return { available: false, reason: `${tool} is not on PATH (install util-linux)` };
  const probe = timensCommand('true', [], offsetS);
  const result = await execa(probe.file, probe.args, { reject: false, stdin: 'ignore', timeout: 10_000 });
  if (result.exitCode === 0) return { available: true };
  const said = result.stderr.trim().split('\n').at(-1) || `exit code ${result.exitCode}`;
  return {
    available: false,
    reason: `\`${probe.file} ${probe.args.join(' ')}\` failed: ${said} (needs root, Linux 5.6+)`,
  };
}

/** Seconds since boot (CLOCK_BOOTTIME): a negative monotonic offset must stay below the clock's own value. */
export function uptimeS(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}
