// Find an executable the way a shell would (a path as given, or a bare name on PATH), without running it.

import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The resolved path of `command`, or undefined when it cannot be found or is not executable. */
export async function locateBinary(command: string, pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  if (command.includes('/') || isAbsolute(command)) return (await isExecutable(command)) ? command : undefined;
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}
