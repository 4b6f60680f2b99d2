// Keep secrets (Redis passwords) out of every message and `cause` the bridge produces.

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
