// A SIGSTOPped Redis (no FIN, a half-open connection): the health check notices it in bounded time, the bridge recovers.

import { afterEach, describe, expect, it } from 'vitest';
import { BridgeConnectError, BridgeNotReadyError, BridgePublishError } from '../src/errors.js';
import type { RecoveryInfo, StateChange } from '../src/outage.js';
import type { BridgeState } from '../src/state.js';
import { connectionNameFor } from '../src/redis-clients.js';
import { clientIdsNamed, eventually, Fixture, numsub, uniqueNamespace, waitFor } from './helpers.js';
import { BridgeProcess } from './bridge-process.js';
import { isAlive, PausableRedis } from './private-redis.js';

const fixture = new Fixture();
let redis: PausableRedis | undefined;
let child: BridgeProcess | undefined;

afterEach(async () => {
  const childPid = child?.pid;
  await child?.end();
  child = undefined;
  if (childPid !== undefined) expect(isAlive(childPid)).toBe(false);
  redis?.thaw();
  await fixture.close();
  const pid = redis?.pid;
  await redis?.stop();
  redis = undefined;
  if (pid !== undefined) expect(isAlive(pid)).toBe(false);
});

const HEALTH = { healthCheckIntervalMs: 200, healthCheckTimeoutMs: 500 };
/** Interval + timeout, plus generous slack for a loaded 2-core machine: a fidelity bound, not a benchmark. */
const DETECTION_BOUND_MS = HEALTH.healthCheckIntervalMs + HEALTH.healthCheckTimeoutMs + 1_500;

describe('half-open connections', () => {
  it('a stopped Redis is noticed within healthCheckIntervalMs + healthCheckTimeoutMs; after SIGCONT the bridge is ready and delivers again', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('sigstop');
    const [a, b] = await fixture.connected(2, { redis: redis.url, namespace, ...HEALTH });
    const raw = await fixture.raw(redis.url);
    const changes: { state: BridgeState; change: StateChange; atMs: number }[] = [];
    a!.lifecycle.on('state', (state, _previous, change) => changes.push({ state, change, atMs: performance.now() }));
    const recovered: RecoveryInfo[] = [];
    a!.lifecycle.on('recovered', (info) => recovered.push(info));
    const seen: number[] = [];
    b!.on('n', (data) => void seen.push(data as number));
    await a!.publish('n', 0);
    await waitFor(() => seen.length === 1, 'delivery before the fault');

    const frozenAt = performance.now();
    redis.freeze();
    await waitFor(
      () => a!.state === 'reconnecting' && b!.state === 'reconnecting',
      'both bridges reconnecting',
      DETECTION_BOUND_MS + 1_000,
    );
    const noticed = changes.find((c) => c.state === 'reconnecting')!;
    const detectionMs = Math.round(noticed.atMs - frozenAt);
    expect(detectionMs).toBeLessThanOrEqual(DETECTION_BOUND_MS);
    expect(noticed.change.cause).toBe('health-check');
    expect(a!.stats().healthCheckFailures).toBeGreaterThanOrEqual(1);
    await expect(a!.publish('n', -1)).rejects.toBeInstanceOf(BridgeNotReadyError);

    const thawedAt = performance.now();
    redis.thaw();
    await waitFor(() => a!.state === 'ready' && b!.state === 'ready', 'both bridges ready again', 10_000);
    const recoveryMs = Math.round(changes.at(-1)!.atMs - thawedAt);
    expect(changes.map((c) => c.state)).toEqual(['reconnecting', 'ready']);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.cause).toBe('health-check');
    expect(recovered[0]!.outageMs).toBeGreaterThanOrEqual(Math.round(thawedAt - noticed.atMs) - 1);
    expect(changes[1]!.change).toEqual(recovered[0]);
    expect(a!.stats()).toMatchObject({ outages: 1, recoveries: 1, publishNotReady: 1 });
    // Ready means subscribed: Redis counts both subscribers again, each connection once.
    expect(await numsub(raw, a!.channel)).toBe(2);
    for (const bridge of [a!, b!])
      expect(await clientIdsNamed(raw, connectionNameFor('subscriber', bridge.instanceId))).toHaveLength(1);
    await a!.publish('n', 1);
    await waitFor(() => seen.includes(1), 'delivery after recovery');
    console.info(
      `half-open: detected after ${detectionMs} ms (bound ${DETECTION_BOUND_MS}), ready ${recoveryMs} ms after SIGCONT, outage ${recovered[0]!.outageMs} ms`,
    );
  });

  it('publishes in flight when the health check drops the publisher reject (never resent); while reconnecting they fail fast; every one is counted', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('inflight');
    const [a, b] = await fixture.connected(2, { redis: redis.url, namespace, ...HEALTH });
    const seqs: number[] = [];
    b!.on('n', (_data, meta) => void seqs.push(meta.seq));
    redis.freeze();
    // Written to a socket nobody reads: Redis has not answered when the health check drops the connection.
    const inFlight = Array.from({ length: 50 }, (_, i) =>
      a!.publish('n', i).then(
        () => 'ok',
        (error: unknown) => error,
      ),
    );
    await waitFor(() => a!.state === 'reconnecting', 'reconnecting', DETECTION_BOUND_MS + 1_000);
    const outcomes = await Promise.all(inFlight);
    expect(outcomes.every((o) => o instanceof BridgePublishError)).toBe(true);
    expect((outcomes[0] as Error).message).toMatch(/closed before Redis replied.*may not have been delivered/);
    const refused = await Promise.all(
      Array.from({ length: 20 }, () => a!.publish('n', 0).catch((error: unknown) => error)),
    );
    expect(refused.every((e) => e instanceof BridgeNotReadyError)).toBe(true);
    expect(a!.pendingPublishes).toBe(0);
    expect(a!.stats()).toMatchObject({ published: 0, publishFailed: 70, publishNotReady: 20 });

    redis.thaw();
    await waitFor(() => a!.state === 'ready' && b!.state === 'ready', 'ready again', 10_000);
    await a!.publish('n', 'after');
    await waitFor(() => seqs.includes(50), 'the first event after recovery');
    // Redis may still run the PUBLISHes it had buffered from the dropped socket, but nothing arrives twice.
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(a!.stats()).toMatchObject({ published: 1, publishFailed: 70 });
  });

  it('a connect that times out against a stopped Redis leaves nothing subscribed: after SIGCONT, one subscription per bridge', async () => {
    redis = await PausableRedis.start();
    const raw = await fixture.raw(redis.url);
    const namespace = uniqueNamespace('failed-connect');
    redis.freeze();
    const bridge = fixture.bridge({ redis: redis.url, namespace, connectTimeoutMs: 300, ...HEALTH });
    await expect(bridge.connect()).rejects.toBeInstanceOf(BridgeConnectError);
    expect(bridge.state).toBe('idle');
    redis.thaw();
    await bridge.connect();
    const name = connectionNameFor('subscriber', bridge.instanceId);
    // The abandoned connections are gone once Redis has read their FIN.
    await eventually(async () => (await clientIdsNamed(raw, name)).length === 1, 'one subscriber connection');
    expect(await numsub(raw, bridge.channel)).toBe(1);
    const [peer] = await fixture.connected(1, { redis: redis.url, namespace });
    expect(await peer!.publish('x', 1)).toBe(2);
  });

  it('a bridge whose own process was stopped longer than healthCheckTimeoutMs is not mistaken for a dead link: nothing lost', async () => {
    redis = await PausableRedis.start();
    const namespace = uniqueNamespace('stopped-peer');
    child = await BridgeProcess.start({ redis: redis.url, namespace, ...HEALTH });
    const [publisher] = await fixture.connected(1, { redis: redis.url, namespace });
    const stallMs = 3 * (HEALTH.healthCheckIntervalMs + HEALTH.healthCheckTimeoutMs);
    const statesBefore = child.states().length;
    child.freeze();
    const stalledAt = performance.now();
    let sent = 0;
    // Events keep coming while it is stopped (a few hundred kB: far below Redis's pubsub output-buffer limits).
    while (performance.now() - stalledAt < stallMs) {
      await publisher!.publish('tick', sent++);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.thaw();
    await eventually(
      async () => (await child!.stats()).stats.deliveredToHandlers === sent,
      `all ${sent} events at the resumed bridge`,
      10_000,
    );
    const { stats, state } = await child.stats();
    expect(state).toBe('ready');
    expect(stats).toMatchObject({ healthCheckFailures: 0, outages: 0, malformed: 0 });
    expect(child.states().slice(statesBefore)).toEqual([]);
  });
});
