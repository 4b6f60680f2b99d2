// The redis.conf text of a private server: loopback only, password, no persistence. Written to stdin, never argv.

export interface PrivateRedisConfig {
  port: number;
  password: string;
  /** Working directory (a fresh temp dir). */
  dir: string;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderRedisConfig({ port, password, dir }: PrivateRedisConfig): string {
  return [
    'bind 127.0.0.1',
    `port ${port}`,
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
