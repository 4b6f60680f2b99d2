// Where the control token comes from, on real files: a file only its owner can read, else EVBRIDGE_TOKEN; a file
// others can read, a weak token or a missing file refused with the fix; a new token file made with mode 600, never
// over an existing one; no message quotes the token.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newControlToken } from '../src/control-auth.js';
import { ControlTokenError, readControlToken, writeNewControlToken } from '../src/control-token.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evbridge-token-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TOKEN = newControlToken();

describe('readControlToken', () => {
  it('reads a file only its owner can read (one trailing newline dropped), before the environment', async () => {
    const path = join(dir, 'token');
    await writeFile(path, `${TOKEN}\n`, { mode: 0o600 });
    const found = await readControlToken({ tokenFile: path, env: { EVBRIDGE_TOKEN: newControlToken() } });
    expect(found).toEqual({ token: TOKEN, source: `--token-file ${path}` });
  });

  it('takes EVBRIDGE_TOKEN without a file, and nothing when neither is given (or the variable is empty)', async () => {
    expect(await readControlToken({ env: { EVBRIDGE_TOKEN: TOKEN } })).toEqual({
      token: TOKEN,
      source: '$EVBRIDGE_TOKEN',
    });
    expect(await readControlToken({ env: {} })).toBeUndefined();
    expect(await readControlToken({ env: { EVBRIDGE_TOKEN: '' } })).toBeUndefined();
  });

  it('refuses a file others can read, a missing file and a weak token, naming the fix and never the token', async () => {
    const path = join(dir, 'token');
    await writeFile(path, TOKEN);
    await chmod(path, 0o644);
    await expect(readControlToken({ tokenFile: path, env: {} })).rejects.toThrow(
      `--token-file ${path} can be read by others (mode 644): chmod 600 ${path}`,
    );
    await expect(readControlToken({ tokenFile: join(dir, 'absent'), env: {} })).rejects.toThrow(
      /cannot be read \(ENOENT\)/,
    );
    const weak = 'password123';
    const error = await readControlToken({ env: { EVBRIDGE_TOKEN: weak } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ControlTokenError);
    expect((error as Error).message).toBe(
      '$EVBRIDGE_TOKEN: the token is 11 characters long; it needs at least 22 (make one with: openssl rand -base64 32)',
    );
    expect((error as Error).message).not.toContain(weak);
  });
});

describe('writeNewControlToken', () => {
  it('writes a new strong token with mode 600 that reads back, and never overwrites a file', async () => {
    const path = join(dir, 'run.token');
    const made = await writeNewControlToken(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe(`${made.token}\n`);
    expect(await readControlToken({ tokenFile: path, env: {} })).toEqual(made);
    await expect(writeNewControlToken(path)).rejects.toThrow(
      `${path} exists: pass it with --token-file ${path}, or remove it to make a new token`,
    );
    expect(await readFile(path, 'utf8')).toBe(`${made.token}\n`);
  });
});
