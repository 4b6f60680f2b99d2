// The Redis URLs the bridge accepts: one server, a Sentinel group, or a Cluster's seed nodes.

/** How the bridge reaches Redis: one server, the master a Sentinel group names, or a Redis Cluster. */
export type RedisTopology = 'standalone' | 'sentinel' | 'cluster';

export const REDIS_TOPOLOGIES: readonly RedisTopology[] = ['standalone', 'sentinel', 'cluster'];

export interface RedisHostPort {
  host: string;
  port: number;
}

interface Credentials {
  /** Percent-decoded; undefined when the URL has none. */
  username?: string;
  password?: string;
  /** `rediss`: TLS to every server (and to the sentinels). */
  tls: boolean;
}

/**
 * A parsed bridge URL:
 * - `redis://[[user]:password@]host[:port][/db]` (`rediss://` for TLS): one server, as before;
 * - `redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/masterName[/db]`: the master that these
 *   sentinels (default port 26379) name; the password is the master's and the sentinels' alike;
 * - `redis+cluster://[[user]:password@]host[:port][,host[:port]...]`: a Redis Cluster found through these seed
 *   nodes (default port 6379).
 * `rediss+sentinel://` and `rediss+cluster://` use TLS. IPv6 addresses go in brackets.
 */
export type ParsedRedisUrl =
  | ({ topology: 'standalone'; url: string } & Credentials)
  | ({ topology: 'sentinel'; sentinels: RedisHostPort[]; masterName: string; db: number } & Credentials)
  | ({ topology: 'cluster'; nodes: RedisHostPort[] } & Credentials);

/** The URL cannot be read; the message never quotes the URL (it may hold a password). */
export class RedisUrlError extends TypeError {
  override name = 'RedisUrlError';
}

export const REDIS_URL_FORMS =
  'redis://[[user]:password@]host[:port][/db], redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/masterName or redis+cluster://[[user]:password@]host[:port][,host[:port]...] (rediss... for TLS)';

const SCHEMES: Record<string, { topology: RedisTopology; tls: boolean }> = {
  'redis:': { topology: 'standalone', tls: false },
  'rediss:': { topology: 'standalone', tls: true },
  'redis+sentinel:': { topology: 'sentinel', tls: false },
  'rediss+sentinel:': { topology: 'sentinel', tls: true },
  'redis+cluster:': { topology: 'cluster', tls: false },
  'rediss+cluster:': { topology: 'cluster', tls: true },
};

const DEFAULT_PORTS: Record<RedisTopology, number> = { standalone: 6379, sentinel: 26379, cluster: 6379 };

/** The topology a URL names by its scheme, or undefined for another scheme (no other check). */
export function topologyOfUrl(text: string): RedisTopology | undefined {
  const colon = text.indexOf(':');
  return colon === -1 ? undefined : SCHEMES[text.slice(0, colon + 1).toLowerCase()]?.topology;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RedisUrlError(`the Redis URL's ${what} has a stray "%": percent-encode it (%25 for "%")`);
  }
}

/** `host[:port]`, `[v6][:port]`. */
function parseHostPort(text: string, defaultPort: number): RedisHostPort {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) throw new RedisUrlError('a bracketed IPv6 address in the Redis URL has no "]"');
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw new RedisUrlError('expected ":port" after "]" in the Redis URL');
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = text.lastIndexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
  }
  if (host === '' || /[\s/@,]/.test(host)) throw new RedisUrlError('every address in the Redis URL needs a host');
  if (portText === undefined || portText === '') return { host, port: defaultPort };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65_535) {
    throw new RedisUrlError(`port ${JSON.stringify(portText)} in the Redis URL is not 1-65535`);
  }
  return { host, port };
}

/** Parse a bridge URL (see ParsedRedisUrl); throws RedisUrlError naming the accepted forms. */
export function parseRedisUrl(text: string): ParsedRedisUrl {
  const colon = text.indexOf(':');
  const scheme = colon === -1 ? undefined : SCHEMES[text.slice(0, colon + 1).toLowerCase()];
  if (scheme === undefined || text.slice(colon + 1, colon + 3) !== '//') {
    throw new RedisUrlError(`the Redis URL must be one of ${REDIS_URL_FORMS}`);
  }
  const { topology, tls } = scheme;
  if (topology === 'standalone') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new RedisUrlError('the Redis URL is not a valid URL: expected redis://[[user]:password@]host[:port][/db]');
    }
    return {
      topology,
      url: text,
      tls,
      ...(url.username === '' ? {} : { username: decode(url.username, 'user name') }),
      ...(url.password === '' ? {} : { password: decode(url.password, 'password') }),
    };
  }
  const afterScheme = text.slice(colon + 3);
  const slash = afterScheme.indexOf('/');
  const authority = slash === -1 ? afterScheme : afterScheme.slice(0, slash);
  const path = slash === -1 ? '' : afterScheme.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? undefined : authority.slice(0, at);
  const hosts = authority.slice(at + 1);
  const credentials: Credentials = { tls };
  if (userinfo !== undefined) {
    const sep = userinfo.indexOf(':');
    // As ioredis reads redis://secret@host: a lone userinfo is a password.
    const user = sep === -1 ? '' : userinfo.slice(0, sep);
    const password = sep === -1 ? userinfo : userinfo.slice(sep + 1);
    if (user !== '') credentials.username = decode(user, 'user name');
    if (password !== '') credentials.password = decode(password, 'password');
  }
  if (hosts === '') throw new RedisUrlError(`the Redis URL names no ${topology === 'sentinel' ? 'sentinel' : 'node'}`);
  const addresses = hosts.split(',').map((part) => parseHostPort(part, DEFAULT_PORTS[topology]));
  if (topology === 'cluster') {
    if (path.replace(/\/+$/, '') !== '') {
      throw new RedisUrlError('a redis+cluster:// URL takes no path: a Cluster has only database 0');
    }
    return { topology, nodes: addresses, ...credentials };
  }
  const [name = '', dbText, ...extra] = path.split('/');
  if (name === '') {
    throw new RedisUrlError(
      'a redis+sentinel:// URL needs the master name as its path: redis+sentinel://host:26379/mymaster',
    );
  }
  let db = 0;
  if (dbText !== undefined && dbText !== '') {
    if (!/^\d+$/.test(dbText)) throw new RedisUrlError('the database after the master name must be a number');
    db = Number(dbText);
  }
  if (extra.some((part) => part !== '')) throw new RedisUrlError('a redis+sentinel:// URL ends after /masterName[/db]');
  return { topology, sentinels: addresses, masterName: decode(name, 'master name'), db, ...credentials };
}

/** The URL's addresses and names without credentials, for messages and reports. */
export function describeRedisUrl(parsed: ParsedRedisUrl): string {
  const addresses = (list: RedisHostPort[]): string =>
    list.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',');
  const s = parsed.tls ? 's' : '';
  switch (parsed.topology) {
    case 'standalone': {
      const url = new URL(parsed.url);
      return `${url.protocol}//${url.host}`;
    }
    case 'sentinel':
      return `redis${s}+sentinel://${addresses(parsed.sentinels)}/${parsed.masterName}`;
    case 'cluster':
      return `redis${s}+cluster://${addresses(parsed.nodes)}`;
  }
}

/** The URL's password as written (percent-encoded) and decoded, longest first: either spelling must be scrubbed. */
export function redisUrlSecrets(text: string): string[] {
  let parsed: ParsedRedisUrl;
  try {
    parsed = parseRedisUrl(text);
  } catch {
    return [];
  }
  const decoded = parsed.password;
  if (decoded === undefined) return [];
  const written = encodeURIComponent(decoded);
  const raw = rawPassword(text) ?? written;
  return [...new Set([decoded, written, raw])].sort((a, b) => b.length - a.length);
}

/** The password exactly as the URL writes it. */
function rawPassword(text: string): string | undefined {
  const start = text.indexOf('//') + 2;
  const slash = text.indexOf('/', start);
  const authority = slash === -1 ? text.slice(start) : text.slice(start, slash);
  const at = authority.lastIndexOf('@');
  if (at === -1) return undefined;
  const userinfo = authority.slice(0, at);
  const sep = userinfo.indexOf(':');
  return sep === -1 ? userinfo : userinfo.slice(sep + 1);
}
