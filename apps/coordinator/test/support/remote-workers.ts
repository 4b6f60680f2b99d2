// Remote workers as a user starts them: the built evbridge-worker (apps/worker's remote-main.js) as real processes,
// given the coordinator's URL and a token file; and the token files and free ports a run with --listen needs.
import { writeNewControlToken } from '@evbridge/protocol';
import { execaNode } from 'execa';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../../src/redis/free-port.js';

export const REMOTE_WORKER_MAIN = fileURLToPath(new URL('../../../worker/dist/remote-main.js', import.meta.url));

/** A new token in `dir/name` (mode 600), as a user makes one. */
export async function tokenFile(dir: string, name: string): Promise<{ file: string; token: string }> {
  const file = join(dir, name);
  const { token } = await writeNewControlToken(file);
  return { file, token };
}

/** A free loopback port for --listen. */
export function freeListenAddress(): Promise<string> {
  return findFreePort('127.0.0.1').then((port) => `127.0.0.1:${port}`);
}

/** One evbridge-worker process: `pnpm evbridge-worker --coordinator URL ...args`, without the test's EVBRIDGE_TOKEN. */
export function startRemoteWorker(url: string, args: string[], env: Record<string, string | undefined> = {}) {
  return execaNode(REMOTE_WORKER_MAIN, ['--coordinator', url, ...args], {
    reject: false,
    env: { EVBRIDGE_TOKEN: undefined, ...env },
    stdin: 'ignore',
    timeout: 120_000,
  });
}
