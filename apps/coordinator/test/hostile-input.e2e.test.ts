// End to end: a raw client publishes every kind of hostile message into a live run; the run counts and survives them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { channelFor } from '@evbridge/bridge';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { isAlive, isProgressLine, startHarness, watchLog } from './support/harness-cli.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-hostile-');

/** A well-formed v1 envelope with some fields replaced. */
function envelope(overrides: Record<string, unknown>): string {
  const src = 'stranger:1:nonce0001';
  return JSON.stringify({
    v: 1,
    id: `${src}/0`,
    src,
    pid: 1,
    host: 'stranger',
    nonce: 'nonce0001',
    seq: 0,
    ts: 1,
    type: 'hostile',
    data: null,
    ...overrides,
  });
}

/** One batch per malformed kind the bridge counts (json, shape, version, oversized: above the default 1 MiB). */
const MALFORMED: Record<string, (string | Buffer)[]> = {
  json: [Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]), 'not json', '{"v":1,'],
  shape: ['[1,2,3]', 'null', envelope({ seq: -1 }), envelope({ type: 42 }), envelope({ data: undefined })],
  version: [envelope({ v: 3 }), JSON.stringify({ v: 99, entirely: 'different' })],
  oversized: ['x'.repeat(1024 * 1024 + 1)],
};

describe('hostile input into a live run', () => {
  it('each kind is counted as malformed, a claimed instance id as a collision; delivery stays 100%, exit 0, nothing left', async () => {
    const redisUrl = inject('redisUrl');
    const jsonPath = join(tempDir(), 'hostile.json');
    const run = startHarness(['--procs=3', '--duration=3s', '--warmup=500ms', '--rate=300', `--json=${jsonPath}`], {
      REDIS_URL: redisUrl,
    });
    const log = watchLog(run);
    const raw = new Redis(redisUrl, { lazyConnect: true });
    let sent = 0;
    try {
      const forked = await log.until((line) => typeof line.msg === 'string' && /^forked \d+ workers$/.test(line.msg));
      const channel = channelFor(String(forked.namespace));
      const pids = forked.pids!;
      await log.until(isProgressLine);
      await raw.connect();
      for (const messages of Object.values(MALFORMED)) {
        for (const message of messages) {
          expect(await raw.publish(channel, message)).toBe(3);
          sent++;
        }
      }
      // Worker 0's own instance id (its connections are named evbridge:sub:<instanceId>) under another nonce.
      const names = ((await raw.call('CLIENT', 'LIST')) as string).match(/name=evbridge:sub:(\S+)/g) ?? [];
      const victim = names
        .map((name) => name.slice('name=evbridge:sub:'.length))
        .find((id) => id.split(':').at(-2) === String(pids[0]));
      expect(victim).toBeDefined();
      expect(
        await raw.publish(channel, envelope({ src: victim, id: `${victim}/0`, nonce: 'impostor', type: 'claimed' })),
      ).toBe(3);
    } finally {
      raw.disconnect();
    }
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    // Every worker counts every malformed message; none reached the measurement.
    expect(report.totals.malformed).toBe(3 * sent);
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.totals.lost).toBe(0);
    expect(report.totals.duplicates).toBe(0);
    expect(report.totals.selfReceived).toBe(0);
    expect(report.passed).toBe(true);
    // The claimed id: its owner logged the collision once; the other workers took it as an unknown event type.
    const collisions = log
      .lines()
      .filter(
        (line) => typeof line.msg === 'string' && line.msg.includes('another bridge publishes under this instance id'),
      );
    expect(collisions).toHaveLength(1);
    expect(collisions[0]).toMatchObject({ otherNonce: 'impostor' });
    for (const instance of report.instances) expect(isAlive(instance.pid)).toBe(false);
  }, 60_000);
});
