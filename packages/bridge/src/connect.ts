// The connect sequence: every connection up, PING answered, the subscription acknowledged, within a deadline.

import type { ChannelTransport } from './channel-transport.js';
import type { BridgeConnections } from './connections.js';
import { BridgeClosedError, BridgeConnectError } from './errors.js';
import { deniedPermission, describeDenied } from './permission.js';
import { redactSecrets, sanitizeError } from './redact.js';

export interface ConnectParams {
  connections: BridgeConnections;
  /** Subscribes (queued until the connection is up) and names the commands in permission errors. */
  transport: ChannelTransport;
  channel: string;
  timeoutMs: number;
  /** Aborted by close(): connect() then rejects with BridgeClosedError. */
  signal: AbortSignal;
  /** `redis://host:port`, without credentials. */
  target: string;
  secrets: readonly string[];
}

const noop = (): void => {};

class DeadlineExceeded extends Error {}
class Aborted extends Error {}

const AUTH_FAILURE = /^(WRONGPASS|NOAUTH|ERR invalid password|ERR invalid username-password pair|ERR AUTH)/;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toConnectError(error: unknown, lastError: unknown, params: ConnectParams): Error {
  if (error instanceof Aborted) return new BridgeClosedError('EventBridge was closed while connect() was running');
  const { target, secrets, timeoutMs } = params;
  if (error instanceof DeadlineExceeded) {
    const last = lastError === undefined ? '' : ` (last error: ${redactSecrets(messageOf(lastError), secrets)})`;
    return new BridgeConnectError(
      `EventBridge could not connect to Redis at ${target} and subscribe within ${timeoutMs} ms${last}. ` +
        'Check that Redis is running and reachable at that address, or raise options.connectTimeoutMs.',
      lastError === undefined ? undefined : { cause: sanitizeError(lastError, secrets) },
    );
  }
  // A command failed: ioredis flushes queued commands with the fatal error (auth), or gives up retrying.
  const cause =
    error instanceof Error && error.name === 'MaxRetriesPerRequestError' && lastError !== undefined ? lastError : error;
  const reason = redactSecrets(messageOf(cause), secrets);
  const denied = deniedPermission(reason);
  if (denied !== undefined) {
    // Only the subscription names a channel while connecting; a denied command names itself.
    const described = describeDenied(denied, params.transport.commands.subscribe, params.channel);
    return new BridgeConnectError(
      `EventBridge could not connect to Redis at ${target}: ${described} (Redis said: ${reason}).`,
      {
        cause: sanitizeError(cause, secrets),
      },
    );
  }
  let hint = 'Check that Redis is running and reachable at that address.';
  if (AUTH_FAILURE.test(reason)) hint = 'Check the username and password in options.redis.';
  return new BridgeConnectError(`EventBridge could not connect to Redis at ${target}: ${reason}. ${hint}`, {
    cause: sanitizeError(cause, secrets),
  });
}

/** Connect every connection and subscribe; rejects with BridgeConnectError / BridgeClosedError. */
export async function connectAndSubscribe(params: ConnectParams): Promise<void> {
  const { connections, transport, timeoutMs, signal } = params;
  const { publisher, subscriber } = connections;
  let lastError: unknown;
  const recordError = (error: unknown): void => {
    lastError = error;
  };
  for (const { client } of connections.all) client.on('error', recordError);
  let timer: NodeJS.Timeout | undefined;
  let onAbort = noop;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded()), timeoutMs);
    onAbort = () => reject(new Aborted());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // Queued in ioredis's offline queue; sent once the connection is up and authenticated.
  const subscribed = transport.subscribe();
  const pinged = publisher.ping();
  subscribed.catch(noop);
  pinged.catch(noop);
  subscriber.connect().catch(noop);
  if (publisher !== subscriber) publisher.connect().catch(noop);
  try {
    await Promise.race([Promise.all([subscribed, pinged]), deadline]);
  } catch (error) {
    throw toConnectError(error, lastError, params);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    for (const { client } of connections.all) client.removeListener('error', recordError);
  }
}
