// classifySubscriberClose: when a subscriber closed alone is taken as closed for its output buffer (pure logic).

import { describe, expect, it } from 'vitest';
import { classifySubscriberClose, OUTPUT_BUFFER_LAG_MS, type SubscriberCloseEvidence } from '../src/outage.js';

const nowUs = 1_800_000_000_000_000;
const behind = (lagMs: number, overrides: Partial<SubscriberCloseEvidence> = {}): SubscriberCloseEvidence => ({
  publisherUp: true,
  recentTraffic: true,
  stalledRecently: false,
  lastEventTsUs: nowUs - lagMs * 1000,
  nowUs,
  ...overrides,
});

describe('classifySubscriberClose', () => {
  it('output-buffer: the subscriber alone closed while it lagged behind flowing events', () => {
    expect(classifySubscriberClose(behind(OUTPUT_BUFFER_LAG_MS))).toEqual({
      cause: 'output-buffer',
      lagMs: OUTPUT_BUFFER_LAG_MS,
    });
    expect(classifySubscriberClose(behind(2_500))).toEqual({ cause: 'output-buffer', lagMs: 2_500 });
  });

  it('output-buffer: the subscriber closed right after this process was stalled, even with a young backlog', () => {
    expect(classifySubscriberClose(behind(20, { stalledRecently: true }))).toEqual({
      cause: 'output-buffer',
      lagMs: 20,
    });
  });

  it('connection-lost: a subscriber keeping up, an idle one, or Redis itself gone', () => {
    expect(classifySubscriberClose(behind(OUTPUT_BUFFER_LAG_MS - 1))).toMatchObject({ cause: 'connection-lost' });
    expect(classifySubscriberClose(behind(60_000, { recentTraffic: false }))).toEqual({
      cause: 'connection-lost',
      lagMs: null,
    });
    expect(classifySubscriberClose(behind(5_000, { publisherUp: false }))).toMatchObject({
      cause: 'connection-lost',
      lagMs: 5_000,
    });
    expect(classifySubscriberClose(behind(0, { lastEventTsUs: undefined, stalledRecently: true }))).toEqual({
      cause: 'connection-lost',
      lagMs: null,
    });
  });

  it('never reports a negative lag (publisher clocks ahead of ours)', () => {
    expect(classifySubscriberClose(behind(-50))).toEqual({ cause: 'connection-lost', lagMs: 0 });
  });
});
