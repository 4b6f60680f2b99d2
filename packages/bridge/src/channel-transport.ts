// The pub/sub seam: what the bridge needs of "the channel", whichever Redis commands carry it.

/**
 * How an encoded event reaches every bridge of the namespace and how theirs arrive, over the connections the
 * supervisor opens, watches, reconnects and ends (the transport never opens or ends a connection itself). One
 * transport serves one connect() attempt; messages go to the MessageSink it was built with.
 *
 * Implemented by Redis PUBLISH / SUBSCRIBE (pubsub-transport.ts). Redis Streams (XADD / XREAD, for at-least-once
 * delivery) or Cluster sharded pub/sub (SPUBLISH / SSUBSCRIBE) would implement the same interface; the receive
 * path and the supervision do not change.
 */
export interface ChannelTransport {
  /** The commands that publish and subscribe, as error messages and permission hints name them (`PUBLISH`). */
  readonly commands: { readonly publish: string; readonly subscribe: string };
  /**
   * Send one encoded envelope. Resolves with how many receivers Redis reports (this bridge's own included);
   * rejects with Redis's error, or when the connection closes before Redis replied.
   */
  publish(payload: string): Promise<number>;
  /** Start receiving. Queued until the connection is up; resolves once Redis acknowledged it. */
  subscribe(): Promise<void>;
  /**
   * Receive again on the receiving connection once it reconnected (Redis forgets a subscription with its
   * connection; automatic resubscription is off so the supervisor knows when Redis acknowledged it).
   */
  resubscribe(): Promise<void>;
  /** Stop receiving, waiting at most `timeoutMs`. Never rejects. The supervisor ends the connections after. */
  close(timeoutMs: number): Promise<void>;
}
