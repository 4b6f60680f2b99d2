// TLS end to end: a private redis-server serving TLS only, with a CA made by openssl for this test; the harness
// verifies it with --redis-ca / REDIS_CA_FILE and hands the CA to every worker over IPC.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../src/redis/private-server.js';
import type { Report } from '../src/model/report.js';
import { makeCertificates } from './support/certificates.js';
import { isAlive, parseLogLines, startHarness } from './support/harness-cli.js';

let dir: string;
let redis: PrivateRedis;
let files: { caFile: string; certFile: string; keyFile: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evbridge-tls-'));
  files = await makeCertificates(dir);
  redis = await startPrivateRedis({ tls: files });
}, 60_000);
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a private redis-server with TLS', () => {
  it('serves TLS only, on loopback, behind its password; its config (paths, password) never in argv', async () => {
    expect(redis.url).toBe(`rediss://:${redis.password}@127.0.0.1:${redis.port}`);
    expect(redis.caPem).toBe(await readFile(files.caFile, 'utf8'));
    const tls = new Redis(redis.url, { lazyConnect: true, tls: { ca: redis.caPem }, retryStrategy: () => null });
    tls.on('error', () => undefined);
    try {
      await tls.connect();
      expect(await tls.ping()).toBe('PONG');
      expect(await tls.config('GET', 'port')).toEqual(['port', '0']);
      expect(await tls.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    } finally {
      tls.disconnect();
    }
    const plain = new Redis({
      host: '127.0.0.1',
      port: redis.port,
      password: redis.password,
      lazyConnect: true,
      retryStrategy: () => null,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
    });
    plain.on('error', () => undefined);
    try {
      await expect(plain.connect().then(() => plain.ping())).rejects.toThrow();
    } finally {
      plain.disconnect();
    }
    const cmdline = await readFile(`/proc/${redis.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain(redis.password);
    expect(cmdline).not.toContain('server.key');
  });
});

describe('the harness over TLS', () => {
  it('runs clean against a rediss:// URL with --redis-ca (evbridge driver)', async () => {
    const jsonPath = join(dir, 'tls.json');
    const result = await startHarness(
      ['--procs=2', '--duration=2s', '--warmup=0s', '--rate=200', `--redis-ca=${files.caFile}`, `--json=${jsonPath}`],
      {
        REDIS_URL: redis.url,
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    expect(report.run.redis.url).toBe(`rediss://:***@127.0.0.1:${redis.port}`);
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.totals.delivered).toBeGreaterThan(0);
    expect(result.stdout + result.stderr).not.toContain(redis.password);
    const pids = parseLogLines(result.stderr).find((line) => Array.isArray(line.pids))?.pids ?? [];
    expect(pids).toHaveLength(2);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 90_000);

  it('takes the CA from REDIS_CA_FILE too (raw driver)', async () => {
    const result = await startHarness(['--procs=2', '--duration=2s', '--warmup=0s', '--rate=200', '--driver=raw'], {
      REDIS_URL: redis.url,
      REDIS_CA_FILE: files.caFile,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('PASS');
  }, 90_000);

  it('without the CA: exit 2 at once, saying the certificate could not be verified', async () => {
    const started = Date.now();
    const result = await startHarness(['--procs=2', '--duration=2s'], { REDIS_URL: redis.url });
    expect(result.exitCode).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toMatch(
      /cannot use Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+: .*(self-signed certificate|unable to verify)/,
    );
    expect(result.stderr).not.toContain(redis.password);
  });

  it('with a missing CA file, or one holding no certificate: exit 2 naming it', async () => {
    const missing = await startHarness(['--procs=2', '--duration=2s', `--redis-ca=${files.caFile}.missing`], {
      REDIS_URL: redis.url,
    });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the Redis CA file \(--redis-ca \/ REDIS_CA_FILE\): ENOENT/);
    const key = await startHarness(['--procs=2', '--duration=2s', `--redis-ca=${files.keyFile}`], {
      REDIS_URL: redis.url,
    });
    expect(key.exitCode).toBe(2);
    expect(key.stderr).toContain(
      `the Redis CA file ${files.keyFile} (--redis-ca / REDIS_CA_FILE) holds no PEM certificate`,
    );
  });
});
