// --topology and the Redis URL forms that imply one, and the faults that need a private topology.
import { describe, expect, it } from 'vitest';
import { driverRefusals } from '../src/run/check-driver.js';
import { parseError as error, parsedOptions as run } from './support/parse-cli.js';

const SENTINEL_URL = 'redis+sentinel://:s3cret@127.0.0.1:26379,127.0.0.1:26380/evbridge';

describe('--topology', () => {
  it('is absent for a plain run and for --topology=standalone', () => {
    expect(run([]).topology).toBeUndefined();
    expect(run(['--topology=standalone']).topology).toBeUndefined();
  });

  it('takes sentinel and cluster, and refuses another word naming the accepted ones', () => {
    expect(run(['--topology=sentinel']).topology).toBe('sentinel');
    expect(run(['--topology=cluster']).topology).toBe('cluster');
    expect(error(['--topology=ring'])).toMatch(/^--topology must be standalone, sentinel, cluster \(got "ring"\)/);
  });

  it('is implied by a redis+sentinel:// URL, from --redis or REDIS_URL', () => {
    expect(run(['--redis', SENTINEL_URL])).toMatchObject({ topology: 'sentinel', redisUrl: SENTINEL_URL });
    expect(run([], { REDIS_URL: 'redis+cluster://:pw@127.0.0.1:7000' }).topology).toBe('cluster');
    expect(run(['--topology=sentinel', '--redis', SENTINEL_URL]).topology).toBe('sentinel');
  });

  it('refuses a --topology that contradicts the URL, in one line naming the fix and no password', () => {
    const message = error(['--topology=cluster', '--redis', SENTINEL_URL]);
    expect(message).toBe(
      '--topology=cluster contradicts the Redis URL, a redis+sentinel:// URL: drop --topology, or give a redis+cluster:// URL (or none, to start a private cluster)',
    );
    expect(error(['--topology=sentinel', '--redis', 'redis://:pw@127.0.0.1:6379'])).toMatch(
      /^--topology=sentinel contradicts the Redis URL, a redis:\/\/ URL \(one server\)/,
    );
  });

  it('refuses a sentinel URL without a master name, without quoting the password', () => {
    const message = error(['--redis', 'redis+sentinel://:s3cret@127.0.0.1:26379']);
    expect(message).toContain('needs the master name');
    expect(message).not.toContain('s3cret');
  });
});

describe('faults that need a private topology', () => {
  it('take kill-master and failover with --topology=sentinel', () => {
    const options = run(['--topology=sentinel', '--fault=kill-master@5s', '--fault=failover@10s']);
    expect(options.faults?.map((fault) => fault.kind)).toEqual(['kill-master', 'failover']);
  });

  it("judge recovery by default against the stated target, which a user's recovery threshold replaces", () => {
    const judged = (argv: string[]) => run(argv).thresholds.map((spec) => spec.expression);
    expect(judged(['--topology=sentinel', '--fault=kill-master@5s'])).toEqual([
      'selfReceived==0',
      'lostOutsideFaults==0',
      'unpublishedOutsideFaults==0',
      'recovery<5s',
    ]);
    expect(judged(['--topology=sentinel', '--fault=failover@5s', '--threshold=recovery<1s'])).toContain('recovery<1s');
    expect(judged(['--topology=sentinel', '--fault=failover@5s', '--threshold=recovery<1s'])).not.toContain(
      'recovery<5s',
    );
    expect(judged(['--fault=kill-worker@5s'])).not.toContain('recovery<5s');
  });

  it('refuse them on a standalone run and on a Redis named by URL', () => {
    expect(error(['--fault=kill-master@5s'])).toBe(
      '--fault kill-master@5s hits a master of the private Sentinel group or Cluster the harness starts, and this run has one redis-server; add --topology=sentinel or --topology=cluster (without --redis/REDIS_URL) or drop this fault',
    );
    expect(error(['--redis', SENTINEL_URL, '--fault=failover@5s'])).toMatch(
      /^--fault failover@5s hits .*, not a Redis named by --redis or REDIS_URL; add --topology=sentinel/,
    );
  });

  it('take kill-node with --topology=cluster only, and refuse a fault on one server there', () => {
    const options = run([
      '--topology=cluster',
      '--fault=kill-node@5s',
      '--fault=kill-master@8s',
      '--fault=failover@10s',
    ]);
    expect(options.faults?.map((fault) => fault.kind)).toEqual(['kill-node', 'kill-master', 'failover']);
    expect(error(['--topology=sentinel', '--fault=kill-node@5s'])).toBe(
      '--fault kill-node@5s applies to a cluster topology, not to --topology=sentinel; drop this fault or change --topology',
    );
    expect(error(['--topology=cluster', '--fault=kill-subscribers@5s'])).toBe(
      '--fault kill-subscribers@5s applies to a standalone or sentinel topology, not to --topology=cluster (it acts on one Redis server, and a Cluster has six: use kill-node, kill-master or failover); drop this fault or change --topology',
    );
    expect(error(['--fault=kill-node@5s'])).toMatch(
      /^--fault kill-node@5s hits a master of the private Sentinel group or Cluster/,
    );
  });

  it('refuse restart-redis with a topology of several servers', () => {
    expect(error(['--topology=sentinel', '--fault=restart-redis@5s:1s'])).toMatch(
      /^--fault restart-redis@5s:1s stops and starts the one private redis-server of a standalone run, and --topology=sentinel runs several; use kill-master or failover/,
    );
  });
});

describe('drivers and a Sentinel group', () => {
  it('refuses a driver that cannot follow a redis+sentinel:// URL, naming the fix; evbridge can', async () => {
    const raw = (await import('@evbridge/drivers/raw')).default;
    const evbridge = (await import('@evbridge/drivers/evbridge')).default;
    expect(driverRefusals(raw, { topology: 'sentinel' })).toEqual([
      'a Sentinel group reaches the workers as a redis+sentinel:// URL, which it cannot follow (capabilities.sentinel): use --driver=evbridge or drop --topology=sentinel',
    ]);
    expect(driverRefusals(evbridge, { topology: 'sentinel' })).toEqual([]);
    expect(driverRefusals(raw, {})).toEqual([]);
  });
});
