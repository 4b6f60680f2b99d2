// End to end, against a private redis-server with ACL users: the harness runs as a least-privilege user, the password
// reaches no log, report, error or process argument/environment, and a missing permission fails the run naming it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProcStat } from '@evbridge/metrics';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../src/redis/private-server.js';
import type { Report } from '../src/model/report.js';
import { isAlive, isProgressLine, startHarness, watchLog } from './support/harness-cli.js';

/** The harness's least-privilege line (README "Least privilege"): the bridge's commands plus PUBSUB NUMSUB. */
const HARNESS_RULES = [
  'resetchannels',
  '&evbridge:run:*',
  '-@all',
  '+ping',
  '+info',
  '+client|setname',
  '+subscribe',
  '+unsubscribe',
  '+publish',
  '+pubsub|numsub',
];

let redis: PrivateRedis;
let admin: Redis;
let dir: string;

beforeAll(async () => {
  redis = await startPrivateRedis();
  admin = new Redis(redis.url, { lazyConnect: true });
  await admin.connect();
  dir = await mkdtemp(join(tmpdir(), 'evbridge-access-'));
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface AclUser {
  name: string;
  password: string;
  /** The URL that logs in as the user (password percent-encoded). */
  url: string;
  /** Every spelling of the password that must never show. */
  spellings: string[];
}

/** An ACL user whose password needs URL escaping, so both spellings are checked. */
async function aclUser(rules: string[]): Promise<AclUser> {
  const name = `evb-${randomBytes(3).toString('hex')}`;
  const password = `S3cret/${randomBytes(9).toString('hex')}@:%`;
  await admin.call('ACL', 'SETUSER', name, 'reset', 'on', `>${password}`, ...rules);
  const url = `redis://${name}:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`;
  return { name, password, url, spellings: [password, encodeURIComponent(password)] };
}

/** Commands the user was refused, from ACL LOG (ioredis's CLIENT SETINFO is ignored: ioredis ignores its refusal). */
async function aclDenials(user: string): Promise<string[]> {
  const entries = (await admin.call('ACL', 'LOG')) as unknown[][];
  return entries
    .map((entry) =>
      Object.fromEntries(
        Array.from({ length: entry.length / 2 }, (_, i) => [String(entry[2 * i]), String(entry[2 * i + 1])]),
      ),
    )
    .filter((fields) => fields.username === user && fields.object !== 'client|setinfo')
    .map((fields) => `${fields.reason} ${fields.object}`);
}

function expectAbsent(text: string, user: AclUser, where: string): void {
  for (const spelling of user.spellings) expect(text.includes(spelling), `the password shows in ${where}`).toBe(false);
}

/** Pids whose parent is `pid` (from /proc/<pid>/stat). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (readProcStat(Number(entry))?.ppid === pid) children.push(Number(entry));
  }
  return children;
}

async function procText(pid: number, file: 'cmdline' | 'environ'): Promise<string> {
  return (await readFile(`/proc/${pid}/${file}`)).toString('utf8').replaceAll('\0', ' ');
}

describe('the harness with a Redis ACL user', () => {
  it('runs clean as a least-privilege user given in REDIS_URL; the password is in no log, report, argv or child environment', async () => {
    const user = await aclUser(HARNESS_RULES);
    const jsonPath = join(dir, 'acl.json');
    const run = startHarness(['--procs=2', '--duration=3s', '--warmup=0s', '--rate=200', `--json=${jsonPath}`], {
      REDIS_URL: user.url,
    });
    const log = watchLog(run);
    const workerPids = (await log.until((line) => Array.isArray(line.pids))).pids!;
    await log.until(isProgressLine);
    // While the run is live: every process of it, and the redis-server, carry no password in argv or environment.
    const children = await childrenOf(run.pid!);
    expect(children).toEqual(expect.arrayContaining(workerPids));
    for (const pid of [...children, redis.pid]) {
      expectAbsent(await procText(pid, 'cmdline'), user, `/proc/${pid}/cmdline`);
      expectAbsent(await procText(pid, 'environ'), user, `/proc/${pid}/environ`);
    }
    // The coordinator's own environment holds REDIS_URL: that is where the user put it. Its arguments do not.
    expectAbsent(await procText(run.pid!, 'cmdline'), user, 'the coordinator command line');
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(0);
    const json = await readFile(jsonPath, 'utf8');
    for (const [where, text] of [
      ['stdout', result.stdout],
      ['stderr', result.stderr],
      ['the JSON report', json],
    ] as const) {
      expectAbsent(text, user, where);
    }
    const report = JSON.parse(json) as Report;
    expect(report.run.redis.url).toBe(`redis://${user.name}:***@127.0.0.1:${redis.port}`);
    expect(report.run.redis.version).toMatch(/^\d+\.\d+/);
    expect(report.totals.deliveryRatio).toBe(1);
    expect(await aclDenials(user.name)).toEqual([]);
    for (const pid of workerPids) expect(isAlive(pid)).toBe(false);
  }, 90_000);

  it('with --redis on the command line: masks it in the process title and warns; without PUBSUB NUMSUB it still runs', async () => {
    const user = await aclUser(HARNESS_RULES.filter((rule) => rule !== '+pubsub|numsub'));
    const run = startHarness(['--procs=2', '--duration=2s', '--warmup=0s', '--rate=200', `--redis=${user.url}`]);
    const log = watchLog(run);
    const workerPids = (await log.until((line) => Array.isArray(line.pids))).pids!;
    const title = await procText(run.pid!, 'cmdline');
    expectAbsent(title, user, 'the coordinator command line');
    expect(title).toContain(`--redis=redis://${user.name}:***@127.0.0.1:${redis.port}`);
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('--redis carries a password: it is masked in this process title');
    expect(result.stderr).toContain('the Redis user may not run PUBSUB NUMSUB');
    expectAbsent(result.stdout + result.stderr, user, 'the output');
    expect(await aclDenials(user.name)).toEqual(['command pubsub|numsub']);
    for (const pid of workerPids) expect(isAlive(pid)).toBe(false);
  }, 90_000);

  it('without +publish: exit 2 before any worker is forked, naming PUBLISH, the channel and the rule to grant', async () => {
    const user = await aclUser(HARNESS_RULES.filter((rule) => rule !== '+publish'));
    const started = Date.now();
    const result = await startHarness(['--procs=2', '--duration=2s'], { REDIS_URL: user.url });
    expect(result.exitCode).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toMatch(
      /the Redis user lacks permission for PUBLISH on channel evbridge:run:[\w-]+:events: grant it \+publish/,
    );
    expect(result.stderr).toContain('grant &evbridge:run:* rather than this run');
    expect(result.stderr).not.toContain('forked');
    expectAbsent(result.stdout + result.stderr, user, 'the output');
  });

  it('whose channel patterns exclude the harness namespace: exit 2 naming the channel rule', async () => {
    const user = await aclUser([
      'resetchannels',
      '&shop:*',
      ...HARNESS_RULES.filter((rule) => rule.startsWith('+') || rule === '-@all'),
    ]);
    const result = await startHarness(['--procs=2', '--duration=2s'], { REDIS_URL: user.url });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/the Redis user may not use channel evbridge:run:[\w-]+:events/);
    expect(result.stderr).toContain('grant &evbridge:run:* rather than this run');
    expectAbsent(result.stdout + result.stderr, user, 'the output');
  });

  it('with a wrong password: exit 2 saying so, and the wrong password shows nowhere', async () => {
    const user = await aclUser(HARNESS_RULES);
    const wrong = `Wr0ng/${randomBytes(6).toString('hex')}@`;
    const url = user.url.replace(encodeURIComponent(user.password), encodeURIComponent(wrong));
    const result = await startHarness(['--procs=2', '--duration=2s'], { REDIS_URL: url });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/WRONGPASS/);
    expect(result.stderr).toContain(`redis://${user.name}:***@127.0.0.1:${redis.port}`);
    for (const spelling of [wrong, encodeURIComponent(wrong)])
      expect(result.stdout + result.stderr).not.toContain(spelling);
  });
});
