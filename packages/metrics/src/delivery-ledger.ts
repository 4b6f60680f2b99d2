// DeliveryLedger: one SequenceLedger per sender, for everything a receiver got.
import { SequenceLedger } from './sequence-ledger.js';
import type { MissingSequences, SequenceOutcome } from './sequence-ledger.js';
import type { SequenceLedgerSnapshot } from './sequence-ledger-snapshot.js';

export { SequenceLedger } from './sequence-ledger.js';
export type { MissingSequences, SequenceOutcome } from './sequence-ledger.js';
export type { SequenceLedgerSnapshot } from './sequence-ledger-snapshot.js';

/** Counters summed over every sender. */
export interface DeliveryTotals {
  senders: number;
  received: number;
  duplicates: number;
  outOfOrder: number;
  gaps: number;
}

export class DeliveryLedger {
  readonly #bySender = new Map<string, SequenceLedger>();

  /** Records one arrival of `seq` from `sender` (a non-empty string). */
  record(sender: string, seq: number): SequenceOutcome {
    return this.forSender(sender).record(seq);
  }

  /** The ledger of `sender` (a non-empty string), made empty on first use: one lookup for a read and a record. */
  forSender(sender: string): SequenceLedger {
    let ledger = this.#bySender.get(sender);
    if (ledger === undefined) {
      checkSender(sender);
      ledger = new SequenceLedger();
      this.#bySender.set(sender, ledger);
    }
    return ledger;
  }

  get(sender: string): SequenceLedger | undefined {
    return this.#bySender.get(sender);
  }

  /** Senders seen, in order of first arrival. */
  senders(): string[] {
    return [...this.#bySender.keys()];
  }

  /** Holes so far, summed over senders (see `SequenceLedger.gapCount`). */
  gapCount(): number {
    let gaps = 0;
    for (const ledger of this.#bySender.values()) gaps += ledger.gapCount();
    return gaps;
  }

  /** Sequence numbers in [firstSeq, lastSeq] never received from `sender`: all of them for an unknown sender. */
  missing(sender: string, firstSeq: number, lastSeq: number): MissingSequences {
    return (this.#bySender.get(sender) ?? new SequenceLedger()).missing(firstSeq, lastSeq);
  }

  totals(): DeliveryTotals {
    const totals: DeliveryTotals = { senders: this.#bySender.size, received: 0, duplicates: 0, outOfOrder: 0, gaps: 0 };
    for (const ledger of this.#bySender.values()) {
      totals.received += ledger.received;
      totals.duplicates += ledger.duplicates;
      totals.outOfOrder += ledger.outOfOrder;
      totals.gaps += ledger.gapCount();
    }
    return totals;
  }

  /** Plain JSON keyed by sender id. */
  toJSON(): Record<string, SequenceLedgerSnapshot> {
    // Object.fromEntries defines own properties, so a sender named "__proto__" survives.
    return Object.fromEntries([...this.#bySender].map(([sender, ledger]) => [sender, ledger.toJSON()]));
  }

  /** Rebuilds a ledger from `toJSON()` output. Throws a TypeError naming the sender whose snapshot is wrong. */
  static fromJSON(snapshot: unknown): DeliveryLedger {
    if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
      throw new TypeError(
        `Invalid DeliveryLedger snapshot: expected an object keyed by sender id, got ${Array.isArray(snapshot) ? 'an array' : String(snapshot)}. Pass the output of DeliveryLedger.toJSON().`,
      );
    }
    const ledger = new DeliveryLedger();
    for (const [sender, senderSnapshot] of Object.entries(snapshot)) {
      try {
        checkSender(sender);
        ledger.#bySender.set(sender, SequenceLedger.fromJSON(senderSnapshot));
      } catch (error) {
        throw new TypeError(
          `Invalid DeliveryLedger snapshot for sender ${JSON.stringify(sender)}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    }
    return ledger;
  }
}

function checkSender(sender: unknown): void {
  if (typeof sender !== 'string' || sender === '') {
    throw new TypeError(`A sender id must be a non-empty string, got ${JSON.stringify(sender) ?? String(sender)}.`);
  }
}
