// The bridge's lifecycle state: one string union, ioredis-style, and the transitions it may take.

/**
 * - `idle`: constructed, not connected (also after a failed `connect()`; it may be called again).
 * - `connecting`: `connect()` is running.
 * - `ready`: every connection (two, or one shared) is up and SUBSCRIBE to the channel is acknowledged. Publishing is allowed.
 * - `reconnecting`: a connection dropped; ioredis is reconnecting and the subscriber will resubscribe.
 * - `closing`: `close()` is flushing pending publishes and quitting.
 * - `closed`: terminal. Create a new bridge to connect again.
 */
export type BridgeState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closing' | 'closed';
