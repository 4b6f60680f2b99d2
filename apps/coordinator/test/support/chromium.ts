// Finds the headless Chromium the browser tests drive (Debian's `chromium`), and says what to do without one.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `chromium` on PATH, else /usr/bin/chromium; undefined when neither is an executable. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => join(dir, 'chromium')),
    '/usr/bin/chromium',
  ];
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** True where CI=true (or any value but "false" and ""): a browser test that cannot run must fail there, not skip. */
export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.CI !== undefined && env.CI !== '' && env.CI !== 'false';

export const NO_CHROMIUM =
  'headless Chromium was not found (chromium on PATH or /usr/bin/chromium): apt-get install chromium (.ci/run installs it when missing)';
