// The redis.conf text of a private server: loopback unless told otherwise (--redis-bind), password, no persistence. Written to stdin, never argv.

export interface PrivateRedisConfig {
  port: number;
  password: string;
  /** Working directory (a fresh temp dir). */
  dir: string;
  /** The address to listen on; default 127.0.0.1 (loopback only). */
  bind?: string;
  /** Serve TLS only on `port` (the plain port is off), with these PEM files. */
  tls?: PrivateRedisTlsFiles;
}

export interface PrivateRedisTlsFiles {
  certFile: string;
  keyFile: string;
  /** The CA that signed certFile (clients are not asked for certificates). */
  caFile: string;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderRedisConfig({ port, password, dir, tls, bind = '127.0.0.1' }: PrivateRedisConfig): string {
  const listen =
    tls === undefined
      ? [`port ${port}`]
      : [
          'port 0',
          `tls-port ${port}`,
          `tls-cert-file ${quote(tls.certFile)}`,
          `tls-key-file ${quote(tls.keyFile)}`,
          `tls-ca-cert-file ${quote(tls.caFile)}`,
          'tls-auth-clients no',
        ];
  return [
    `bind ${bind}`,
    ...listen,
    `requirepass ${quote(password)}`,
    'save ""',
    'appendonly no',
    'protected-mode yes',
    'daemonize no',
    `dir ${quote(dir)}`,
    'logfile ""',
    'loglevel notice',
    'always-show-logo no',
    '',
  ].join('\n');
}
