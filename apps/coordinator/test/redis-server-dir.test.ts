// The private redis-server's working directories: named after their maker, and removed by the next server once their
// maker is gone (a SIGKILLed coordinator cleans nothing up), never while it runs.
import { execa } from 'execa';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeServerDir, sweepServerDirs } from '../src/redis/server-dir.js';
import { useTempDir } from './support/temp-dir.js';

const parentDir = useTempDir('evbridge-server-dir-');

/** The pid of a process that ran and is gone (reaped). */
async function deadPid(): Promise<number> {
  const gone = execa('true');
  await gone;
  return gone.pid!;
}

describe('private redis-server dirs', () => {
  it('is named after this process, and sweeps only dirs whose maker is gone', async () => {
    const parent = parentDir();
    const dead = await deadPid();
    const alive = process.ppid;
    await mkdir(join(parent, `evbridge-redis-${dead}-AbC123`));
    await mkdir(join(parent, `evbridge-redis-${alive}-DeF456`));
    await mkdir(join(parent, 'evbridge-redis-Old789'));
    await mkdir(join(parent, 'unrelated'));
    const made = await makeServerDir(parent);
    expect(made.startsWith(join(parent, `evbridge-redis-${process.pid}-`))).toBe(true);
    expect((await readdir(parent)).sort()).toEqual(
      [`evbridge-redis-${alive}-DeF456`, 'evbridge-redis-Old789', made.slice(parent.length + 1), 'unrelated'].sort(),
    );
    // Its own dirs are never swept by itself.
    expect(await sweepServerDirs(parent)).toEqual([]);
  });
});
