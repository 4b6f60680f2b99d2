// delivery: 'at-least-once' on real redis-servers: delivery, resume after a drop, trimmed gaps reported, AOF restarts.

import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBridge } from '../src/bridge.js';
import { nowEpochUs } from '../src/clock.js';
import { encodeEnvelope, eventId, type EventMeta } from '../src/envelope.js';
import { connectionNameFor } from '../src/redis-clients.js';
import type { StreamGap } from '../src/stream-gap.js';
import { clientIdsNamed, Fixture, uniqueNamespace, waitFor } from './helpers.js';
import { isAlive } from './private-redis.js';
import { RestartableRedis } from './restartable-redis.js';

const fixture = new Fixture();
let redis: RestartableRedis | undefined;

afterEach(async () => {
  await fixture.close();
  const pid = redis?.pid;
  await redis?.dispose();
  redis = undefined;
  if (pid !== undefined) expect(isAlive(pid)).toBe(false);
});

const durable = { delivery: 'at-least-once' } as const;

/** Every event `bridge` hands its handlers: the publisher's seq, in arrival order. */
function seqsOf(bridge: EventBridge): number[] {
  const seqs: number[] = [];
  bridge.onAny((_type: string, _data: unknown, meta: Readonly<EventMeta>) => void seqs.push(meta.seq));
  return seqs;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

async function killSubscriber(bridge: EventBridge, url?: string): Promise<void> {
  const raw = await fixture.raw(url);
  const ids = await clientIdsNamed(raw, connectionNameFor('subscriber', bridge.instanceId));
  expect(ids).toHaveLength(1);
  await raw.call('CLIENT', 'KILL', 'ID', ids[0]!);
}

describe("delivery: 'at-least-once' (Redis Streams)", () => {
  it('delivers every event to the other bridges in order, none to its sender, through the namespace stream', async () => {
    const namespace = uniqueNamespace('streams');
    const [a, b, c] = await fixture.connected(3, { ...durable, namespace });
    const atB = seqsOf(b!);
    const atC = seqsOf(c!);
    const atA = seqsOf(a!);
    const receivers = await Promise.all(range(0, 50).map((i) => a!.publish('e', i)));
    // A stream has no subscriber count: publish resolves 0.
    expect(new Set(receivers)).toEqual(new Set([0]));
    await waitFor(() => atB.length === 50 && atC.length === 50, 'b and c to read 50');
    expect(atB).toEqual(range(0, 50));
    expect(atC).toEqual(range(0, 50));
    await waitFor(() => a!.stats().selfEchoesFiltered === 50, "a's own 50 filtered");
    expect(atA).toEqual([]);
    expect(a!.stats()).toMatchObject({ selfReceived: 0, streamGaps: 0, duplicatesDropped: 0 });
    const raw = await fixture.raw();
    expect(Number(await raw.xlen(`${namespace}:stream`))).toBe(50);
    expect(await raw.call('PUBSUB', 'NUMSUB', a!.channel)).toEqual([a!.channel, 0]);
  });

  it('starts at the tip: what was in the stream before it connected is not delivered', async () => {
    const namespace = uniqueNamespace('streams-tip');
    const [a] = await fixture.connected(1, { ...durable, namespace });
    await Promise.all(range(0, 5).map((i) => a!.publish('e', i)));
    const [b] = await fixture.connected(1, { ...durable, namespace });
    const atB = seqsOf(b!);
    await a!.publish('e', 5);
    await waitFor(() => atB.length === 1, 'b to read the one event after it connected');
    await delay(50);
    expect(atB).toEqual([5]);
  });

  it('resumes after its reading connection is killed: every event published meanwhile arrives, once, in order', async () => {
    const namespace = uniqueNamespace('streams-resume');
    // The killed connection stays down 300 ms (reconnect delay): events published then must not be lost.
    const [a, b] = await fixture.connected(2, {
      ...durable,
      namespace,
      redisOptions: { retryStrategy: () => 300 },
    });
    const atB = seqsOf(b!);
    const recovered: unknown[] = [];
    b!.lifecycle.on('recovered', (info) => recovered.push(info));
    let published = 0;
    const publishing = (async () => {
      for (let i = 0; i < 120; i++) {
        await a!.publish('e', i);
        published++;
        await delay(5);
      }
    })();
    await waitFor(() => atB.length >= 10, 'b reading');
    await killSubscriber(b!);
    await waitFor(() => b!.state === 'reconnecting', 'b reconnecting');
    const missedFrom = atB.length;
    await publishing;
    await waitFor(() => atB.length === published, `b to read all ${published}`, 10_000);
    expect(published).toBe(120);
    expect(atB).toEqual(range(0, 120));
    expect(recovered).toHaveLength(1);
    // Some were published while b was away, and b got them after it resumed.
    expect(missedFrom).toBeLessThan(120);
    expect(b!.stats()).toMatchObject({ streamGaps: 0, streamLostEntries: 0, outages: 1, recoveries: 1 });
    // A stream reader is never closed for a pubsub output buffer: a kill while it reads is a lost connection.
    expect(b!.stats().outputBufferDisconnects).toBe(0);
  });

  it('entries trimmed before it resumed are reported lost with their exact range and count', async () => {
    const namespace = uniqueNamespace('streams-trim');
    const streamMaxLen = 50;
    const [a, b] = await fixture.connected(2, {
      ...durable,
      namespace,
      streamMaxLen,
      redisOptions: { retryStrategy: () => 1_000 },
    });
    const atB = seqsOf(b!);
    const gaps: StreamGap[] = [];
    b!.lifecycle.on('lost', (gap) => gaps.push(gap));
    await a!.publish('e', 0);
    await waitFor(() => atB.length === 1, 'b read the first event');
    await killSubscriber(b!);
    await waitFor(() => b!.state === 'reconnecting', 'b reconnecting');
    // While b is away, 600 more: MAXLEN ~ 50 trims all but the newest 50-150 (whole 100-entry nodes).
    for (let i = 1; i <= 600; i++) await a!.publish('e', i);
    const raw = await fixture.raw();
    const [[firstId]] = (await raw.xrange(`${namespace}:stream`, '-', '+', 'COUNT', 1)) as [[string, string[]]];
    const kept = Number(await raw.xlen(`${namespace}:stream`));
    expect(kept).toBeGreaterThanOrEqual(streamMaxLen);
    expect(kept).toBeLessThan(600);
    await waitFor(() => b!.state === 'ready' && atB.length === 1 + kept, 'b resumed and read what was kept', 10_000);
    const lost = 600 - kept;
    expect(atB).toEqual([0, ...range(1 + lost, 601)]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ beforeId: firstId, count: lost, reason: 'trimmed' });
    expect(gaps[0]!.afterId < firstId!).toBe(true);
    expect(b!.stats()).toMatchObject({ streamGaps: 1, streamLostEntries: lost });
  });

  it('a reader further behind than a whole read is checked on every read: a gap while it reads is reported', async () => {
    const namespace = uniqueNamespace('streams-behind');
    const [a, b] = await fixture.connected(2, { ...durable, namespace, streamMaxLen: 100 });
    const atB = seqsOf(b!);
    // A handler slower than the publisher: b reads 100 at a time (streamMaxLen) and falls behind by more.
    b!.onAny(() => {
      const until = performance.now() + 0.2;
      while (performance.now() < until);
    });
    const gaps: StreamGap[] = [];
    b!.lifecycle.on('lost', (gap) => gaps.push(gap));
    const total = 3_000;
    const sends: Promise<number>[] = [];
    for (let i = 0; i < total; i++) {
      sends.push(a!.publish('e', i));
      if (i % 200 === 199) await delay(1);
    }
    await Promise.all(sends);
    await a!.publish('e', total);
    await waitFor(() => atB.at(-1) === total, 'b read the last event', 10_000);
    const lost = b!.stats().streamLostEntries;
    // Whatever was lost is reported, to the entry: received + lost = published, and every gap was counted.
    expect(atB.length + lost).toBe(total + 1);
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((gap) => gap.count !== null && gap.reason === 'trimmed')).toBe(true);
    expect(gaps.reduce((sum, gap) => sum + (gap.count ?? 0), 0)).toBe(lost);
    expect(atB).toEqual([...atB].sort((x, y) => x - y));
  });

  it('a Redis killed and restarted with appendonly loses nothing: every acknowledged event arrives once', async () => {
    redis = await RestartableRedis.start({ appendfsync: 'always' });
    const namespace = uniqueNamespace('streams-aof');
    const [a, b] = await fixture.connected(2, { ...durable, namespace, redis: redis.url });
    // What b received, by the loop index each event carries (a refused publish takes no seq; it keeps its index).
    const atB: number[] = [];
    b!.on('e', (data) => void atB.push(data as number));
    const acknowledged: number[] = [];
    let stop = false;
    const publishing = (async () => {
      for (let i = 0; !stop; i++) {
        await a!.publish('e', i).then(
          () => acknowledged.push(i),
          () => undefined,
        );
        await delay(5);
      }
    })();
    await waitFor(() => atB.length >= 10, 'b reading');
    await redis.down();
    await waitFor(() => b!.state === 'reconnecting', 'b reconnecting');
    await delay(300);
    await redis.up();
    await waitFor(() => a!.state === 'ready' && b!.state === 'ready', 'both ready again', 10_000);
    const afterRestart = acknowledged.length;
    await waitFor(() => acknowledged.length >= afterRestart + 10, 'publishing again');
    stop = true;
    await publishing;
    const last = acknowledged.at(-1);
    await waitFor(() => atB.at(-1) === last, 'b read the last acknowledged event', 10_000);
    // b got every acknowledged one (one that Redis ran but could not acknowledge may arrive too: at least once),
    // each once, in order.
    const seen = new Set(atB);
    expect(seen.size).toBe(atB.length);
    expect(acknowledged.filter((seq) => !seen.has(seq))).toEqual([]);
    expect(atB.length - acknowledged.length).toBeLessThanOrEqual(1);
    expect(atB).toEqual([...atB].sort((x, y) => x - y));
    expect(b!.stats()).toMatchObject({ streamGaps: 0, recoveries: 1 });
  });

  it('a publish whose connection drops before the reply is sent again and arrives once: none rejected, none lost', async () => {
    const namespace = uniqueNamespace('streams-resend');
    const [a, b] = await fixture.connected(2, { ...durable, namespace, redisOptions: { retryStrategy: () => 100 } });
    const atB = seqsOf(b!);
    const raw = await fixture.raw();
    const [publisherId] = await clientIdsNamed(raw, connectionNameFor('publisher', a!.instanceId));
    // Redis holds writes for 300 ms: the 300 XADDs wait unanswered on the publishing connection, which is killed.
    await raw.call('CLIENT', 'PAUSE', '300', 'WRITE');
    const sends = range(0, 300).map((i) => a!.publish('e', i));
    await delay(50);
    await raw.call('CLIENT', 'KILL', 'ID', publisherId!);
    const settled = await Promise.allSettled(sends);
    expect(settled.filter((result) => result.status === 'rejected')).toEqual([]);
    await waitFor(() => atB.length >= 300, 'b read all 300', 10_000);
    await delay(100);
    expect(atB).toEqual(range(0, 300));
    expect(a!.stats()).toMatchObject({ published: 300, publishFailed: 0, publishResent: 300 });
    // Each entry once in the stream: Redis had added none of them before the kill.
    expect(Number(await raw.xlen(`${namespace}:stream`))).toBe(300);
    expect(b!.stats().duplicatesDropped).toBe(0);
  });

  it('an entry added twice with one message id (a resent publish Redis had added) is handed on once', async () => {
    const namespace = uniqueNamespace('streams-dedup');
    const [b] = await fixture.connected(1, { ...durable, namespace });
    const atB = seqsOf(b!);
    const raw = await fixture.raw();
    const envelope = (seq: number): string =>
      encodeEnvelope({
        v: 1,
        id: eventId('other', seq),
        src: 'other',
        pid: 1,
        host: 'h',
        nonce: 'n',
        seq,
        ts: nowEpochUs(),
        type: 'e',
        data: seq,
      });
    // What the bridge writes: e <envelope> m <message id>; the second XADD of 'x:1' is the resend Redis had added.
    for (const [seq, messageId] of [
      [0, 'x:0'],
      [1, 'x:1'],
      [1, 'x:1'],
      [2, 'x:2'],
    ] as const) {
      await raw.xadd(`${namespace}:stream`, '*', 'e', envelope(seq), 'm', messageId);
    }
    await waitFor(() => atB.length === 3 && b!.stats().duplicatesDropped === 1, 'b read 3 and dropped 1');
    expect(atB).toEqual([0, 1, 2]);
  });

  it('with cursorKey, a restarted bridge resumes after the last entry it handled; a trim while it was down is reported', async () => {
    const namespace = uniqueNamespace('streams-cursor');
    const cursorKey = `${namespace}:cursor:b`;
    const [a] = await fixture.connected(1, { ...durable, namespace, streamMaxLen: 50 });
    const first = fixture.bridge({ ...durable, namespace, cursorKey, streamMaxLen: 50 });
    await first.connect();
    const atFirst = seqsOf(first);
    await a!.publish('e', 0);
    await a!.publish('e', 1);
    await waitFor(() => atFirst.length === 2, 'the first bridge read 2');
    await first.close();
    const raw = await fixture.raw();
    expect(String(await raw.get(cursorKey))).toMatch(/^\d+-\d+ 2$/);
    // While no bridge reads for the key: 10 more, then (second case) 600 more, trimmed to about 50.
    for (let i = 2; i < 12; i++) await a!.publish('e', i);
    const second = fixture.bridge({ ...durable, namespace, cursorKey, streamMaxLen: 50 });
    const atSecond = seqsOf(second);
    await second.connect();
    await waitFor(() => atSecond.length === 10, 'the restarted bridge read the 10 it missed');
    expect(atSecond).toEqual(range(2, 12));
    await second.close();
    for (let i = 12; i < 612; i++) await a!.publish('e', i);
    const kept = Number(await raw.xlen(`${namespace}:stream`));
    const gaps: StreamGap[] = [];
    const third = fixture.bridge({ ...durable, namespace, cursorKey, streamMaxLen: 50 });
    third.lifecycle.on('lost', (gap) => gaps.push(gap));
    const atThird = seqsOf(third);
    await third.connect();
    await waitFor(() => atThird.length === kept, 'the third bridge read what was kept');
    expect(atThird).toEqual(range(612 - kept, 612));
    expect(gaps).toMatchObject([{ count: 600 - kept, reason: 'trimmed' }]);
    expect(() => fixture.bridge({ namespace, cursorKey })).toThrow(/options.cursorKey .* needs options.delivery/);
  });

  it('health checks pass on the reading connection: XREAD blocks in slices shorter than the PING timeout', async () => {
    const namespace = uniqueNamespace('streams-health');
    const [a, b] = await fixture.connected(2, {
      ...durable,
      namespace,
      healthCheckIntervalMs: 100,
      healthCheckTimeoutMs: 300,
    });
    const atB = seqsOf(b!);
    // Idle: b's XREAD blocks 150 ms at a time, so its PING is answered within the 300 ms allowed.
    await delay(1_200);
    expect(b!.stats()).toMatchObject({ healthCheckFailures: 0, outages: 0 });
    expect(b!.state).toBe('ready');
    await a!.publish('e', 0);
    await waitFor(() => atB.length === 1, 'b still reads');
  });

  it('refuses a shared connection and a bad streamMaxLen, naming the fix', async () => {
    expect(() => fixture.bridge({ ...durable, connections: 'shared' })).toThrow(
      /options.delivery 'at-least-once' needs options.connections 'separate'/,
    );
    expect(() => fixture.bridge({ ...durable, streamMaxLen: 0 })).toThrow(/options.streamMaxLen must be a positive/);
    expect(() => fixture.bridge({ delivery: 'exactly-once' as never })).toThrow(
      /options.delivery must be one of 'at-most-once', 'at-least-once'/,
    );
  });
});
