// Who a bridge instance is: instance id, host, pid and a random nonce that tells apart bridges sharing a pid.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface BridgeIdentity {
  /** Used for self-filtering and in event ids. Default `${host}:${pid}:${nonce}`. */
  instanceId: string;
  host: string;
  /** The true OS pid of this process (always, even when `instanceId` is overridden). */
  pid: number;
  /** Random per bridge instance (8 base64url characters, 48 bits), carried in every envelope. */
  nonce: string;
}

export interface IdentityInput {
  instanceId?: string | undefined;
  host?: string | undefined;
  /** Only for tests that simulate colliding pids; bridges always use `process.pid`. */
  pid?: number | undefined;
}

/** A fresh random nonce: 6 random bytes as base64url. */
export function createNonce(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * A new identity. The nonce makes the default instance id unique per bridge instance even when pids collide
 * (several bridges in one process, containers where every pid is 1, hosts with the same name).
 */
export function createIdentity(input: IdentityInput = {}): BridgeIdentity {
  const host = input.host ?? hostname();
  const pid = input.pid ?? process.pid;
  const nonce = createNonce();
  const instanceId = input.instanceId ?? `${host}:${pid}:${nonce}`;
  return { instanceId, host, pid, nonce };
}
