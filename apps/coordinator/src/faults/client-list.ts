// Reads CLIENT LIST replies: one client per line of space-separated key=value fields.

export interface ClientListEntry {
  id: number;
  /** CLIENT SETNAME, '' when unnamed. */
  name: string;
  /** Flags such as N (normal) or P (pub/sub). */
  flags: string;
}

/** The clients of a CLIENT LIST reply; lines without an id are skipped. */
export function parseClientList(reply: string): ClientListEntry[] {
  const entries: ClientListEntry[] = [];
  for (const line of reply.split('\n')) {
    const fields = new Map<string, string>();
    for (const pair of line.trim().split(' ')) {
      const equals = pair.indexOf('=');
      if (equals > 0) fields.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    const id = Number(fields.get('id'));
    if (!Number.isSafeInteger(id)) continue;
    entries.push({ id, name: fields.get('name') ?? '', flags: fields.get('flags') ?? '' });
  }
  return entries;
}
