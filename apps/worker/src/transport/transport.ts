// What the worker measures through: the bridge under test, or the raw ioredis floor it is judged against.
import type { BridgeCountersMessage } from '@evbridge/protocol';

export type TransportKind = 'bridge' | 'raw';

/** Where a transport hands what it received; every call is on the receive path, keep them cheap. */
export interface TransportSink {
  /**
   * An event of `type` that reached the handlers, with the instance id it carries as its source. The transport's
   * self-filter should have dropped this instance's own; whether it did is the session's to judge, not the transport's.
   */
  onEvent(type: string, data: unknown, source: string, seq: number): void;
  /** One of this instance's own events, delivered back by Redis and dropped by the self-filter. */
  onSelfEcho(type: string, data: unknown): void;
  /** The transport changed state (the bridge's lifecycle: `ready`, `reconnecting`, ...); a transport without states never calls it. */
  onState?(state: string, previous: string): void;
}

export interface Transport {
  readonly kind: TransportKind;
  readonly instanceId: string;
  readonly host: string;
  /** Sequence number the next publish will carry. */
  readonly nextSeq: number;
  /** Resolves once subscribed (SUBSCRIBE acknowledged). */
  connect(): Promise<void>;
  /** Resolves with Redis's PUBLISH reply (subscribers that got it, this instance's own included). */
  publish(type: string, data: unknown): Promise<number>;
  counters(): BridgeCountersMessage;
  close(): Promise<void>;
}

export interface TransportConfig {
  redisUrl: string;
  /** The CA of a rediss:// Redis (PEM), when it is not among Node's CAs. */
  redisTls?: { caPem: string };
  namespace: string;
  /** `pid`: the instance id is String(process.pid) alone (the original design, to show what it does); absent = default. */
  identity?: 'default' | 'pid' | undefined;
}

/** The instance id the `pid` identity scheme uses: process.pid alone, shared by threads, 1 in every container. */
export function pidInstanceId(config: TransportConfig): string | undefined {
  return config.identity === 'pid' ? String(process.pid) : undefined;
}

/** ioredis options for the config's TLS material: merged over a rediss:// URL's `tls: true`. */
export function tlsOptions(config: TransportConfig): { tls?: { ca: string } } {
  return config.redisTls === undefined ? {} : { tls: { ca: config.redisTls.caPem } };
}
