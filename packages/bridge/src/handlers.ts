// Handler registry: per-type and catch-all handlers, copy-on-write lists, isolated invocation.

import { metaFromEnvelope, type Envelope, type EventMeta } from './envelope.js';

/** A handler for one event type. It may return a promise; a rejection is counted like a throw. */
export type EventHandler<T> = (data: T, meta: Readonly<EventMeta>) => void | Promise<void>;

/** A handler for every event type. */
export type AnyEventHandler<Type extends string = string, Data = unknown> = (
  type: Type,
  data: Data,
  meta: Readonly<EventMeta>,
) => void | Promise<void>;

/** Called for each handler that throws or rejects; must not throw. */
export type HandlerErrorSink = (error: unknown, meta: Readonly<EventMeta>) => void;

function without<T>(list: readonly T[], item: T): readonly T[] {
  const index = list.indexOf(item);
  if (index === -1) return list;
  return [...list.slice(0, index), ...list.slice(index + 1)];
}

/**
 * Lists are replaced, never mutated, so a handler that subscribes or unsubscribes during dispatch does not
 * disturb the dispatch in progress, and dispatch itself allocates nothing but the meta object.
 */
export class HandlerRegistry {
  readonly #byType = new Map<string, readonly EventHandler<unknown>[]>();
  #any: readonly AnyEventHandler[] = [];
  readonly #onError: HandlerErrorSink;

  constructor(onError: HandlerErrorSink) {
    this.#onError = onError;
  }

  /** Register `handler` for `type`; returns an idempotent unsubscribe. */
  add(type: string, handler: EventHandler<unknown>): () => void {
    this.#byType.set(type, [...(this.#byType.get(type) ?? []), handler]);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const remaining = without(this.#byType.get(type) ?? [], handler);
      if (remaining.length === 0) this.#byType.delete(type);
      else this.#byType.set(type, remaining);
    };
  }

  /** Register a catch-all handler; returns an idempotent unsubscribe. */
  addAny(handler: AnyEventHandler): () => void {
    this.#any = [...this.#any, handler];
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.#any = without(this.#any, handler);
    };
  }

  /** Invoke every handler for the envelope's type, then every catch-all handler, each isolated. */
  dispatch(envelope: Envelope): void {
    const typed = this.#byType.get(envelope.type);
    const any = this.#any;
    if (typed === undefined && any.length === 0) return;
    const meta = metaFromEnvelope(envelope);
    if (typed !== undefined) {
      for (const handler of typed) {
        try {
          this.#watch(handler(envelope.data, meta), meta);
        } catch (error) {
          this.#onError(error, meta);
        }
      }
    }
    for (const handler of any) {
      try {
        this.#watch(handler(envelope.type, envelope.data, meta), meta);
      } catch (error) {
        this.#onError(error, meta);
      }
    }
  }

  #watch(result: void | Promise<void>, meta: Readonly<EventMeta>): void {
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      (result as Promise<void>).then(undefined, (error: unknown) => this.#onError(error, meta));
    }
  }
}
