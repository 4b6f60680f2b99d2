// Removes credentials from a connection URL before it reaches a message, a log line or a report.

const REDACTED = '***';

/**
 * Replaces the password of a URL with ***; a lone userinfo without ":" is replaced whole, since some clients
 * read `redis://secret@host` as a password. Works on text that `new URL` rejects too, so an invalid --redis
 * value can be quoted in an error safely:
 * "redis://:hunter2@host:6379" -> "redis://:***@host:6379", "rediss://u:p@h" -> "rediss://u:***@h".
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return redactUnparsable(text);
  }
  if (url.password !== '') url.password = REDACTED;
  else if (url.username !== '') url.username = REDACTED;
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
  return `${text.slice(0, start)}${kept}${REDACTED}${text.slice(at)}`;
}
