// Keep secrets (Redis passwords) out of every message, `cause`, log line and report that evbridge produces.

const MASK = '***';

/** Replace every occurrence of each non-empty secret in `text` with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0 && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * A copy of `error` that is safe to log: same name, message (redacted) and `code`, but none of the extra
 * properties ioredis attaches (a ReplyError from AUTH carries `command.args`, i.e. the password).
 */
export function sanitizeError(error: unknown, secrets: readonly string[]): Error {
  if (!(error instanceof Error)) return new Error(redactSecrets(String(error), secrets));
  const copy = new Error(redactSecrets(error.message, secrets));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') (copy as { code?: unknown }).code = code;
  if (error.stack !== undefined) {
    copy.stack = redactSecrets(error.stack, secrets);
  }
  return copy;
}

/**
 * Replaces the password of a URL with ***; a lone userinfo without ":" is replaced whole, since some clients
 * read `redis://secret@host` as a password. Works on text that `new URL` rejects too, so an invalid --redis
 * value can be quoted in an error safely:
 * "redis://:hunter2@host:6379" -> "redis://:***@host:6379", "rediss://u:p@h" -> "rediss://u:***@h".
 */
export function redactRedisUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return redactUnparsable(text);
  }
  if (url.password !== '') url.password = MASK;
  else if (url.username !== '') url.username = MASK;
  // "user:pw@host" parses as scheme "user:" with no credentials: treat any other "@" as a userinfo.
  else return text.includes('@') ? redactUnparsable(text) : text;
  return url.toString();
}

/** Fallback for text without a parsable userinfo: hide everything after the first ":" before the last "@". */
function redactUnparsable(text: string): string {
  const schemeEnd = text.indexOf('//');
  const start = schemeEnd === -1 ? 0 : schemeEnd + 2;
  const at = text.lastIndexOf('@');
  if (at < start) return text;
  const userinfo = text.slice(start, at);
  const colon = userinfo.indexOf(':');
  const kept = colon === -1 ? '' : userinfo.slice(0, colon + 1);
  return `${text.slice(0, start)}${kept}${MASK}${text.slice(at)}`;
}
