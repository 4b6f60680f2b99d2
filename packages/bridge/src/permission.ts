// Reads Redis's NOPERM replies (ACL denials) and says which permission the Redis user lacks and how to grant it.

import { channelFor } from './channel.js';

/**
 * What an ACL denied: one command (`+publish` missing), the channel (outside the user's `&` patterns), or a key
 * (outside its `~` patterns: the stream of `delivery: 'at-least-once'`, or its cursorKey).
 */
export type DeniedPermission = { kind: 'command'; command: string } | { kind: 'channel' } | { kind: 'key' };

const NOPERM = /^NOPERM\b/;
/** Redis 7.0: "NOPERM this user has no permissions to run the 'publish' command"; 7.2: "NOPERM User u has no ...". */
const DENIED_COMMAND = /run the '([^']+)' command/i;
/** Redis 7.0: "... to access one of the channels used as arguments"; 7.2: "NOPERM No permissions to access a channel". */
const DENIED_CHANNEL = /channel/i;
/** Redis 7.0: "... to access one of the keys used as arguments"; 7.2: "NOPERM No permissions to access a key". */
const DENIED_KEY = /\bkeys?\b/i;
/** The commands of `delivery: 'at-least-once'`: a Redis user needs them all, on the namespace's keys. */
const STREAM_COMMANDS = '+xadd +xread +xinfo|stream +multi +exec';
const CHANNEL_SUFFIX = channelFor('');

/** The denial in a Redis error, or undefined when the error is not a NOPERM reply. */
export function deniedPermission(error: unknown): DeniedPermission | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!NOPERM.test(message)) return undefined;
  const command = DENIED_COMMAND.exec(message)?.[1];
  if (command !== undefined) return { kind: 'command', command: command.toLowerCase() };
  if (DENIED_CHANNEL.test(message)) return { kind: 'channel' };
  if (DENIED_KEY.test(message)) return { kind: 'key' };
  return { kind: 'command', command: 'unknown' };
}

/** The channel rule that covers a namespace's channel and nothing outside the namespace: `&shop:*`. */
export function channelRuleFor(channel: string): string {
  const namespace = channel.endsWith(CHANNEL_SUFFIX) ? channel.slice(0, -CHANNEL_SUFFIX.length) : channel;
  return `&${namespace}:*`;
}

/**
 * One clause naming what the Redis user lacks and what to grant, e.g. "the Redis user lacks permission for
 * PUBLISH on channel shop:events: grant it +publish and &shop:*". `attempted` is the command the bridge ran.
 */
export function describeDenied(denied: DeniedPermission, attempted: string, channel: string): string {
  const rule = channelRuleFor(channel);
  if (denied.kind === 'key' || attempted === 'XADD' || attempted === 'XREAD') {
    // At-least-once delivery: a stream under the namespace, key patterns (~) rather than channel patterns (&).
    const keys = `~${rule.slice(1)}`;
    const what =
      denied.kind === 'key'
        ? `the Redis user may not use the namespace's keys (${attempted} denied: its ACL key patterns exclude them)`
        : `the Redis user lacks permission for ${denied.kind === 'command' && denied.command !== 'unknown' ? denied.command.toUpperCase() : attempted}`;
    return (
      `${what}: at-least-once delivery needs ${STREAM_COMMANDS} and ${keys} (ACL SETUSER <user> ${STREAM_COMMANDS} ${keys}; ` +
      '+get +set too with cursorKey; see "Least privilege" in the @evbridge/bridge README)'
    );
  }
  if (denied.kind === 'channel') {
    return (
      `the Redis user may not use channel ${channel} (${attempted} denied: its ACL channel patterns exclude it): ` +
      `grant it ${rule} (ACL SETUSER <user> ${rule})`
    );
  }
  const command = denied.command === 'unknown' ? attempted.toLowerCase() : denied.command;
  return (
    `the Redis user lacks permission for ${command.toUpperCase()} on channel ${channel}: grant it +${command} and ${rule} ` +
    `(ACL SETUSER <user> +${command} ${rule}; see "Least privilege" in the @evbridge/bridge README)`
  );
}
