// What the built-in drivers share: TLS options from the context, connection name tags, and state reporting.
import type { DriverContext, DriverSink, DriverState } from '@evbridge/driver';

/** ioredis options for the context's TLS material (merged over a rediss:// URL's `tls: true`). */
export function ioredisTls(context: Pick<DriverContext, 'redisTls'>): { tls?: { ca: string } } {
  return context.redisTls === undefined ? {} : { tls: { ca: context.redisTls.caPem } };
}

/** An instance id as CLIENT SETNAME accepts it: anything outside printable ASCII, spaces included, becomes `_`. */
export function nameTag(instanceId: string): string {
  return instanceId.replace(/[^!-~]/g, '_');
}

/** Tracks a driver's state and tells the sink on every change (never twice in a row for the same state). */
export class StateReporter {
  #state: DriverState = 'idle';
  constructor(readonly sink: DriverSink) {}

  get state(): DriverState {
    return this.#state;
  }

  set(state: DriverState): void {
    const previous = this.#state;
    if (state === previous) return;
    this.#state = state;
    this.sink.onState(state, previous);
  }
}

/** Something that emits `reconnecting` and `ready`, as ioredis and node-redis clients do. */
interface ReconnectingClient {
  on(event: 'reconnecting' | 'ready', listener: () => void): unknown;
}

/** Reports `reconnecting` when any of the clients drops and `ready` when all are back (once the driver was ready). */
export function reportReconnects(state: StateReporter, clients: ReconnectingClient[], isReady: () => boolean): void {
  for (const client of clients) {
    client.on('reconnecting', () => {
      if (state.state === 'ready') state.set('reconnecting');
    });
    client.on('ready', () => {
      if (state.state === 'reconnecting' && isReady()) state.set('ready');
    });
  }
}
