// The run's control token: --token-file, else EVBRIDGE_TOKEN, else a new one written to a file in a fresh directory
// only this user can enter (mode 700, the file 600), whose path is printed for the workers and removed after the run.
import { type ControlToken, readControlToken, writeNewControlToken } from '@evbridge/protocol';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunToken extends ControlToken {
  /** The file workers read it from, when there is one (--token-file, or the new one); absent with EVBRIDGE_TOKEN. */
  file?: string;
  /** True when this run made it (and removes it with `remove`). */
  made: boolean;
  /** Removes the file this run made; nothing for a token it was given. Safe to call twice. */
  remove(): Promise<void>;
}

export async function runToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): Promise<RunToken> {
  const given = await readControlToken({ tokenFile, env });
  if (given !== undefined) {
    return { ...given, ...(tokenFile === undefined ? {} : { file: tokenFile }), made: false, remove: async () => {} };
  }
  // mkdtemp makes the directory with mode 700: nobody else can even see the file's name.
  const dir = await mkdtemp(join(tmpdir(), 'evbridge-token-'));
  const file = join(dir, 'token');
  const made = await writeNewControlToken(file);
  return { ...made, file, made: true, remove: () => rm(dir, { recursive: true, force: true }) };
}
