// Connections the control channel closed before they were workers of the run: counted by reason, and logged once per
// burst of one reason (a flood is one line, not a thousand), never with anything the peer sent.
import type { Logger } from 'pino';
import type { ControlRefusal } from '../model/report.js';

/** What each reason means, for the log line. */
const MEANINGS: Readonly<Record<ControlRefusal, string>> = {
  badProof: 'its proof was not made with the run token (a wrong token)',
  garbage: 'it sent something that is not the control handshake',
  oversize: 'it sent more than the handshake allows before authenticating',
  slow: 'it did not authenticate in time',
  overLimit: 'too many unauthenticated connections were open at once',
  surplus: 'the run already had every remote worker it expects (--expect-workers)',
};

/** A burst ends after this long without a refusal of its reason; the next refusal then logs again. */
const BURST_MS = 10_000;

export class Refusals {
  readonly #counts: Record<ControlRefusal, number> = {
    badProof: 0,
    garbage: 0,
    oversize: 0,
    slow: 0,
    overLimit: 0,
    surplus: 0,
  };
  /** Per reason, when the last refusal was, and how many were not logged since the last line. */
  readonly #bursts = new Map<ControlRefusal, { lastMs: number; unlogged: number }>();

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Counts one refusal; logs it if it opens a burst of its reason. `peer` is the address it came from. */
  note(reason: ControlRefusal, peer: string): void {
    this.#counts[reason] += 1;
    const now = this.nowMs();
    const burst = this.#bursts.get(reason);
    if (burst !== undefined && now - burst.lastMs < BURST_MS) {
      burst.lastMs = now;
      burst.unlogged += 1;
      return;
    }
    const earlier = burst?.unlogged ?? 0;
    this.#bursts.set(reason, { lastMs: now, unlogged: 0 });
    this.logger.warn(
      { reason, peer, ...(earlier > 0 ? { alsoRefusedBefore: earlier } : {}) },
      `control channel: closed a connection from ${peer}: ${MEANINGS[reason]} (more like it are counted in the report and not logged for ${BURST_MS / 1000} s)`,
    );
  }

  get counts(): Record<ControlRefusal, number> {
    return { ...this.#counts };
  }
}
