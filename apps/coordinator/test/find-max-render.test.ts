// find-max's header names what is searched: transport, how many instances and in which mode.
import { describe, expect, it } from 'vitest';
import { formatHeader } from '../src/find-max/render.js';
import { DEFAULT_SLO } from '../src/config/slo.js';

const header = {
  transport: 'bridge' as const,
  procs: 4,
  payloadBytes: 256,
  startRateEventsPerSec: 1000,
  slo: DEFAULT_SLO,
  stepDurationMs: 5000,
  stepWarmupMs: 2000,
  maxSteps: 16,
};

describe('formatHeader', () => {
  it('says procs for worker processes, the default', () => {
    expect(formatHeader(header)).toMatch(/^find-max: bridge, 4 procs, payload 256 B, from 1,000\/s;/);
  });

  it('says threads for --mode=threads', () => {
    expect(formatHeader({ ...header, mode: 'threads' })).toMatch(/^find-max: bridge, 4 threads, payload/);
  });
});
