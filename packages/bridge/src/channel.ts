// The one Redis channel of a namespace: every event type of the namespace travels on it.

/** `${namespace}:events`. Services in other languages subscribe to exactly this channel. */
export function channelFor(namespace: string): string {
  return `${namespace}:events`;
}

/** `${namespace}:stream`: the Redis stream of a namespace with `delivery: 'at-least-once'`. */
export function streamKeyFor(namespace: string): string {
  return `${namespace}:stream`;
}
