// One bridge's envelope encoder: its constant fields serialised once; byte for byte what encodeEnvelope returns.

import { BATCH_ENVELOPE_VERSION, ENVELOPE_VERSION } from './envelope.js';

export interface EncoderIdentity {
  instanceId: string;
  pid: number;
  host: string;
  nonce: string;
}

/**
 * `encode(seq, ts, type, data)` equals `encodeEnvelope({ v, id: eventId(src, seq), src, pid, host, nonce, seq, ts,
 * type, data })` (same key order, same escaping, same errors) without building the envelope object or serialising
 * the identity again for every event: publish() runs it once per event.
 */
export class EnvelopeEncoder {
  /** `{"v":1,"id":"<src>/` (the id's closing quote comes after the seq). */
  readonly #head: string;
  /** `","src":"<src>","pid":<pid>,"host":"<host>","nonce":"<nonce>","seq":` */
  readonly #middle: string;
  /** `{"v":2,"src":"<src>","pid":<pid>,"host":"<host>","nonce":"<nonce>","events":[`: a batch up to its events. */
  readonly batchHead: string;
  /** What closes a batch after its events. */
  readonly batchTail = ']}';

  constructor(identity: EncoderIdentity) {
    const src = JSON.stringify(identity.instanceId);
    const source = `"src":${src},"pid":${JSON.stringify(identity.pid)},"host":${JSON.stringify(identity.host)},"nonce":${JSON.stringify(identity.nonce)}`;
    this.#head = `{"v":${ENVELOPE_VERSION},"id":${src.slice(0, -1)}/`;
    this.#middle = `",${source},"seq":`;
    this.batchHead = `{"v":${BATCH_ENVELOPE_VERSION},${source},"events":[`;
  }

  /**
   * The JSON of this bridge's `seq`-th event. Throws a `TypeError` (with `cause`) for `data` JSON cannot carry,
   * exactly as encodeEnvelope does.
   */
  encode(seq: number, ts: number, type: string, data: unknown): string {
    return `${this.#head}${seq}${this.#middle}${seq},"ts":${ts},"type":${JSON.stringify(type)}${dataMember(type, data)}}`;
  }

  /**
   * One event of a batch, `{"seq":..,"ts":..,"type":..,"data":..}`: the events of a batch are joined with `,`
   * between `batchHead` and `batchTail`. Throws a `TypeError` as `encode` does, and also for data that serialises to
   * nothing (a function, a symbol): a v1 envelope without `data` is dropped alone, a batch with one would be dropped
   * whole, the other events of the turn with it.
   */
  encodeBatchEvent(seq: number, ts: number, type: string, data: unknown): string {
    const member = dataMember(type, data);
    if (member === '') {
      throw new TypeError(`event '${type}' data is a function or symbol, which JSON cannot carry: send null instead`);
    }
    return `{"seq":${seq},"ts":${ts},"type":${JSON.stringify(type)}${member}}`;
  }
}

/**
 * `,"data":<json>`, or '' for data that JSON leaves out (a function or symbol), as JSON.stringify leaves the key out
 * of an object. Throws a `TypeError` (with `cause`) for data JSON cannot carry.
 */
function dataMember(type: string, data: unknown): string {
  if (data === undefined) {
    throw new TypeError(`event '${type}' data is undefined, which JSON cannot carry: send null instead`);
  }
  let wrapped: string;
  try {
    // Serialised as the value of a "data" key, as in the whole envelope (toJSON sees the same key).
    wrapped = JSON.stringify({ data });
  } catch (cause) {
    throw new TypeError(
      `event '${type}' data is not JSON-serialisable (BigInt or circular?): convert it before publishing`,
      { cause },
    );
  }
  // A function or symbol serialises to nothing: the key is left out, as JSON.stringify leaves it out of an object.
  return wrapped.length > 2 ? `,${wrapped.slice(1, -1)}` : '';
}
