// The private redis-server's working directory: a fresh temp dir per server, named after the process that made it, so
// that the next one can remove those whose maker was killed before it could (a SIGKILLed coordinator cleans nothing).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'evbridge-redis-';
/** `evbridge-redis-<pid of its maker>-<random>`. */
const OWNED = /^evbridge-redis-(\d+)-/;

/** True while a process with this pid exists here (EPERM: it exists, owned by someone else). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the server dirs in `parent` whose maker no longer runs, and returns their names. A maker in another PID
 * namespace sharing this temp dir would look gone; containers have a temp dir of their own.
 */
export async function sweepServerDirs(parent = tmpdir()): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const owner = OWNED.exec(name)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !processExists(Number(owner));
  });
  await Promise.all(stale.map((name) => rm(join(parent, name), { recursive: true, force: true })));
  return stale;
}

/** A fresh working directory for one server, after sweeping those whose maker was killed. */
export async function makeServerDir(parent = tmpdir()): Promise<string> {
  await sweepServerDirs(parent);
  return mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
}
