import { describe, expect, it } from 'vitest';
import { parseCoordinatorMessage, parseWorkerMessage } from '../src/schema.js';
import { emptyWindowCounters } from '../src/values.js';

describe('protocol validation', () => {
  it('accepts a valid hello and names the field of an invalid one', () => {
    const hello = { type: 'hello', protocolVersion: 1, pid: 42, host: 'h', nodeVersion: 'v20', bridgeVersion: '0.1.0' };
    expect(parseWorkerMessage(hello)).toEqual({ ok: true, message: hello });
    const bad = parseWorkerMessage({ ...hello, pid: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^pid:/);
    // What decides whether its clock is the coordinator's: its boot id and time namespace, absent where /proc lacks them.
    const domain = { ...hello, bootId: '0f192930-d21d-41dd-b5a8-5450e1d2e322', timeNamespace: 'time:[4026531834]' };
    expect(parseWorkerMessage(domain)).toEqual({ ok: true, message: domain });
    expect(parseWorkerMessage({ ...domain, bootId: '' }).ok).toBe(false);
  });

  it('rejects unknown types, non-objects and missing fields', () => {
    expect(parseWorkerMessage({ type: 'nope' }).ok).toBe(false);
    expect(parseWorkerMessage('hello').ok).toBe(false);
    expect(parseWorkerMessage(null).ok).toBe(false);
    expect(parseWorkerMessage({ type: 'pong', seq: 1 }).ok).toBe(false);
    expect(parseCoordinatorMessage({ type: 'start', t0Us: 1, measureStartUs: 2 }).ok).toBe(false);
  });

  it('validates nested counters', () => {
    const stopped = { type: 'stopped', firstMeasuredSeq: 0, lastMeasuredSeq: 9, window: emptyWindowCounters() };
    expect(parseWorkerMessage(stopped).ok).toBe(true);
    const broken = parseWorkerMessage({ ...stopped, window: { ...emptyWindowCounters(), delivered: 1.5 } });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).toMatch(/window\.delivered/);
  });

  it('accepts every coordinator message', () => {
    const messages = [
      {
        type: 'configure',
        index: 0,
        redisUrl: 'redis://x',
        namespace: 'n',
        driver: 'evbridge',
        pacer: 'open-loop',
        rateEventsPerSec: 10,
        payloadBytes: 0,
        statsIntervalMs: 1000,
      },
      { type: 'ping', seq: 0 },
      {
        type: 'clock',
        index: 1,
        offsets: [
          { offsetUs: 0, uncertaintyUs: 0 },
          { offsetUs: -30_000_017, uncertaintyUs: 53 },
        ],
      },
      { type: 'probe', instanceIds: ['a'], intervalMs: 100 },
      { type: 'start', t0Us: 1, measureStartUs: 2, measureEndUs: 3 },
      { type: 'stop' },
      { type: 'drain', expectLastSeq: { a: 3 }, timeoutMs: 10 },
      { type: 'shutdown' },
    ];
    for (const message of messages) expect(parseCoordinatorMessage(message)).toEqual({ ok: true, message });
  });
});
