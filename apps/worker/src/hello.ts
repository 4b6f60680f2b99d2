// The hello message a worker opens with: who it is as the OS sees it from inside (pid, thread, PID namespace) and
// which monotonic clock it reads (boot id, time namespace).
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { type SentWorkerMessageOf, PROTOCOL_VERSION, clockDomain } from '@evbridge/protocol';
import { BRIDGE_VERSION } from './versions.js';

/** `pid:[4026531836]` on Linux: equal for processes that share a PID namespace; undefined where /proc has no such link. */
export function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

export function helloMessage(): SentWorkerMessageOf<'hello'> {
  const namespace = pidNamespace();
  return {
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    pid: process.pid,
    host: hostname(),
    nodeVersion: process.version,
    bridgeVersion: BRIDGE_VERSION,
    threadId,
    ...(namespace === undefined ? {} : { pidNamespace: namespace }),
    ...clockDomain(),
  };
}
