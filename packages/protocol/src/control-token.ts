// Where the control channel's token comes from: EVBRIDGE_TOKEN, or a file only its owner can read (--token-file),
// never a command-line argument; and, when the coordinator is given none, a new one in such a file.
import { open, readFile, stat } from 'node:fs/promises';
import { controlTokenProblem, newControlToken } from './control-auth.js';

export const CONTROL_TOKEN_ENV = 'EVBRIDGE_TOKEN';

export interface ControlToken {
  token: string;
  /** Where it came from, for messages (never the token itself). */
  source: string;
}

/** A token that cannot be used: the message names where it came from and the fix, never the token. */
export class ControlTokenError extends Error {
  override readonly name = 'ControlTokenError';
}

/**
 * The token from `tokenFile` (a file that group and others cannot read: a token anyone on the host can read is no
 * secret), else from EVBRIDGE_TOKEN; undefined when neither is given. One trailing newline in a file is dropped.
 */
export async function readControlToken(options: {
  tokenFile?: string | undefined;
  env: NodeJS.ProcessEnv;
}): Promise<ControlToken | undefined> {
  if (options.tokenFile !== undefined) {
    const path = options.tokenFile;
    let mode: number;
    let text: string;
    try {
      mode = (await stat(path)).mode;
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new ControlTokenError(`--token-file ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`, {
        cause: error,
      });
    }
    if ((mode & 0o077) !== 0) {
      throw new ControlTokenError(
        `--token-file ${path} can be read by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${path}`,
      );
    }
    return checked({ token: text.replace(/\r?\n$/, ''), source: `--token-file ${path}` });
  }
  const fromEnv = options.env[CONTROL_TOKEN_ENV];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  return checked({ token: fromEnv, source: `$${CONTROL_TOKEN_ENV}` });
}

function checked(found: ControlToken): ControlToken {
  const problem = controlTokenProblem(found.token);
  if (problem !== undefined) throw new ControlTokenError(`${found.source}: ${problem}`);
  return found;
}

/**
 * A new token written to `path`, created with mode 600 (refused if the file exists: an old token is never reused or
 * overwritten by accident).
 */
export async function writeNewControlToken(path: string): Promise<ControlToken> {
  const token = newControlToken();
  const file = await open(path, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw new ControlTokenError(
      error.code === 'EEXIST'
        ? `${path} exists: pass it with --token-file ${path}, or remove it to make a new token`
        : `cannot create the token file ${path} (${error.code})`,
      { cause: error },
    );
  });
  try {
    await file.writeFile(`${token}\n`);
  } finally {
    await file.close();
  }
  return { token, source: `--token-file ${path}` };
}
