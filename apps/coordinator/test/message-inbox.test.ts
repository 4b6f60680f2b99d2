import { LatencyRecorder } from '@evbridge/metrics';
import { emptyBridgeCounters, emptyWindowCounters } from '@evbridge/protocol';
import { describe, expect, it } from 'vitest';
import { MessageInbox } from '../src/fleet/message-inbox.js';

const fail = (message: string) => new Error(`worker 0 (pid 1) ${message}`);

describe('MessageInbox', () => {
  it('hands a message to its waiter, and buffers one that arrives early', async () => {
    const inbox = new MessageInbox(fail);
    const waiting = inbox.next('pong', 1000, 'ping');
    inbox.deliver({ type: 'pong', seq: 1, workerUs: 5 });
    await expect(waiting).resolves.toEqual({ type: 'pong', seq: 1, workerUs: 5 });
    inbox.deliver({ type: 'probed', heard: ['a'] });
    await expect(inbox.next('probed', 1000, 'probe')).resolves.toEqual({ type: 'probed', heard: ['a'] });
  });

  it('fails the worker, naming it, on an invalid message', async () => {
    const failures: Error[] = [];
    const inbox = new MessageInbox(fail, (error) => failures.push(error));
    const waiting = inbox.next('ready', 1000, 'ready');
    inbox.deliver({ type: 'ready', pid: 'x' });
    await expect(waiting).rejects.toThrow(/worker 0 \(pid 1\) sent an invalid message \(instanceId/);
    expect(failures).toHaveLength(1);
    await expect(inbox.next('hello', 10, 'hello')).rejects.toThrow(/invalid message/);
  });

  it('treats a pong nobody waits for and a second phase message as unexpected', async () => {
    const stray = new MessageInbox(fail);
    stray.deliver({ type: 'pong', seq: 1, workerUs: 5 });
    expect(stray.failure?.message).toMatch(/unexpected "pong"/);
    const twice = new MessageInbox(fail);
    twice.deliver({ type: 'probed', heard: [] });
    twice.deliver({ type: 'probed', heard: [] });
    expect(twice.failure?.message).toMatch(/second "probed"/);
  });

  it('drops a pong that comes after its wait timed out (a stopped worker answering late), and only that many', async () => {
    const inbox = new MessageInbox(fail);
    await expect(inbox.next('pong', 5, 'clock re-estimate')).rejects.toThrow(/sent no "pong" within 5 ms/);
    inbox.deliver({ type: 'pong', seq: 7, workerUs: 5 });
    expect(inbox.failure).toBeUndefined();
    inbox.deliver({ type: 'pong', seq: 8, workerUs: 6 });
    expect(inbox.failure?.message).toMatch(/unexpected "pong"/);
  });

  it('reports a worker error message as a failure', () => {
    const inbox = new MessageInbox(fail);
    inbox.deliver({ type: 'error', phase: 'configured/configure', message: 'connect refused' });
    expect(inbox.failure?.message).toBe('worker 0 (pid 1) reported an error in configured/configure: connect refused');
  });

  it('times out naming the awaited message', async () => {
    const inbox = new MessageInbox(fail);
    await expect(inbox.next('final', 20, 'drain')).rejects.toThrow(/sent no "final" within 20 ms/);
  });

  it('passes stats to listeners without queueing them', () => {
    const inbox = new MessageInbox(fail);
    const seen: number[] = [];
    inbox.onStats((stats) => seen.push(stats.atUs));
    const stats = {
      type: 'stats',
      atUs: 7,
      interval: 1,
      intervalLatencyUs: new LatencyRecorder().encode(),
      intervalTransitUs: new LatencyRecorder().encode(),
      window: emptyWindowCounters(),
      gapsSoFar: 0,
      bridge: emptyBridgeCounters(),
      resources: { rssBytes: 1, heapUsedBytes: 1, cpuPercent: 0, eventLoopDelayUs: { p50: 0, p99: 0, max: 0 } },
    };
    inbox.deliver(stats);
    inbox.deliver({ ...stats, atUs: 8 });
    expect(seen).toEqual([7, 8]);
    expect(inbox.failure).toBeUndefined();
  });

  it('rejects a stats message whose histogram does not decode, naming the field', () => {
    const inbox = new MessageInbox(fail);
    inbox.deliver({
      type: 'stats',
      atUs: 1,
      interval: 1,
      intervalLatencyUs: 'not-a-histogram',
      intervalTransitUs: new LatencyRecorder().encode(),
      window: emptyWindowCounters(),
      gapsSoFar: 0,
      bridge: emptyBridgeCounters(),
      resources: { rssBytes: 1, heapUsedBytes: 1, cpuPercent: 0, eventLoopDelayUs: { p50: 0, p99: 0, max: 0 } },
    });
    expect(inbox.failure?.message).toMatch(/invalid message \(intervalLatencyUs: not an encoded HdrHistogram/);
  });
});
