// Whether an address is reachable from this host only (what --listen and --redis-bind are checked against).
import { isIP } from 'node:net';

/** True for an address only this host reaches (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
