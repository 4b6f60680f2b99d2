// A Cluster namespace's shard channels: `${namespace}:events:{N}`, spread over slots, and the one each publisher uses.

import { keySlot } from './cluster-slot.js';

/**
 * The namespace's `count` shard channels, `${namespace}:events:{0}` ... `{count-1}`. The hash tag `{N}` alone
 * chooses the slot, so channel N sits in the same slot for every namespace, and the tags 0..15 land in slots spread
 * over the whole range (a 3-shard cluster serves each of them from some shard: see keySlot).
 */
export function shardChannelsFor(namespace: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${namespace}:events:{${index}}`);
}

/**
 * The shard channel this publisher sends on, picked from its instance id: one channel per publisher keeps its
 * events in order (one channel is one ordered stream in Redis), and many publishers spread over all channels.
 */
export function publishChannelFor(instanceId: string, channels: readonly string[]): string {
  const channel = channels[fnv1a(instanceId) % channels.length];
  if (channel === undefined) throw new Error('publishChannelFor needs at least one channel');
  return channel;
}

/** The slots of the channels, in their order (for docs, tests and the spread check). */
export function slotsOf(channels: readonly string[]): number[] {
  return channels.map(keySlot);
}

/** FNV-1a, 32 bits: ids that differ in one character still spread (CRC16's low bits do not, for `host:1`, `host:2`...). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}
