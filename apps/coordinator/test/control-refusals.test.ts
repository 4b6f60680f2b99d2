// Refusals on the control channel: each counted, one log line per burst of a reason, none with what a peer sent.
import { describe, expect, it } from 'vitest';
import { Refusals } from '../src/control/refusals.js';

describe('Refusals', () => {
  it('counts every refusal and logs a reason once per burst, then again with how many it did not log', () => {
    const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
    let nowMs = 0;
    const refusals = new Refusals(
      {
        warn: (fields: object, message?: string) =>
          lines.push({ fields: fields as Record<string, unknown>, message: message ?? '' }),
      } as never,
      () => nowMs,
    );
    for (let i = 0; i < 1000; i += 1) refusals.note('overLimit', `10.0.0.1:${i}`);
    refusals.note('badProof', '10.0.0.2:1');
    nowMs = 5_000;
    refusals.note('overLimit', '10.0.0.1:5000');
    expect(lines).toHaveLength(2);
    nowMs = 20_000;
    refusals.note('overLimit', '10.0.0.1:6000');
    expect(lines).toHaveLength(3);
    expect(lines[2]?.fields).toMatchObject({ reason: 'overLimit', alsoRefusedBefore: 1000 });
    expect(lines[0]?.message).toMatch(
      /^control channel: closed a connection from 10\.0\.0\.1:0: too many unauthenticated/,
    );
    expect(refusals.counts).toEqual({ badProof: 1, garbage: 0, oversize: 0, slow: 0, overLimit: 1002, surplus: 0 });
  });
});
