// Remove passwords from Redis URLs and from arbitrary text before it is logged, reported or thrown.

const MASK = '***';

/**
 * `redis://user:secret@h:1/0` -> `redis://user:***@h:1/0`, `redis://:secret@h:1` -> `redis://:***@h:1`.
 * The username is kept. A URL without a password is returned unchanged (normalised by URL when parsable).
 */
export function redactRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not parsable: mask anything between "user:" and "@" after the scheme, if it looks like credentials.
    return url.replace(/(\/\/[^/@:]*:)[^@/]*@/, `$1${MASK}@`);
  }
  if (parsed.password === '') return url;
  parsed.password = MASK;
  return parsed.toString();
}

/** Replace every occurrence of each non-empty secret in `text` with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0 && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}
