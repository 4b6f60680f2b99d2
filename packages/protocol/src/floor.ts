// The harness-free floor's own few messages (parent <-> floor process), checked by hand on arrival.
import { PACER_KINDS, type PacerKind } from './values.js';

export interface FloorConfigure {
  type: 'configure';
  index: number;
  /** Events per second this process publishes. */
  rateEventsPerSec: number;
  payloadBytes: number;
  /** Carries credentials: IPC only, never argv or logs. */
  redisUrl: string;
  channel: string;
  pacer: PacerKind;
}

export interface FloorStart {
  type: 'start';
  t0Us: number;
  measureStartUs: number;
  measureEndUs: number;
  /** How long to keep receiving after the last event is due. */
  drainMs: number;
}

export type FloorParentMessage = FloorConfigure | FloorStart;

export interface FloorResult {
  type: 'result';
  /** Measured publishes Redis acknowledged. */
  published: number;
  /** Measured events received from the other processes. */
  received: number;
  /** Encoded histograms (@evbridge/metrics LatencyRecorder): from the intended time, from the publish call, send lag. */
  latencyUs: string;
  transitUs: string;
  sendLagUs: string;
  /** User + system CPU microseconds from the start of the measured window to this message (the drain included). */
  cpuUs: number;
  /** The largest resident set read once a second from ready to this message, bytes (as the harness's workers read it). */
  peakRssBytes: number;
}

export type FloorChildMessage = { type: 'ready' } | FloorResult | { type: 'error'; message: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The parent's message, or undefined for anything else. */
export function parseFloorParentMessage(raw: unknown): FloorParentMessage | undefined {
  if (!isObject(raw)) return undefined;
  if (raw.type === 'configure') {
    const ok =
      isCount(raw.index) &&
      typeof raw.rateEventsPerSec === 'number' &&
      raw.rateEventsPerSec > 0 &&
      isCount(raw.payloadBytes) &&
      typeof raw.redisUrl === 'string' &&
      typeof raw.channel === 'string' &&
      (PACER_KINDS as readonly unknown[]).includes(raw.pacer);
    return ok ? (raw as unknown as FloorConfigure) : undefined;
  }
  if (raw.type === 'start') {
    return isCount(raw.t0Us) && isCount(raw.measureStartUs) && isCount(raw.measureEndUs) && isCount(raw.drainMs)
      ? (raw as unknown as FloorStart)
      : undefined;
  }
  return undefined;
}

/** The floor process's message, or undefined for anything else. */
export function parseFloorChildMessage(raw: unknown): FloorChildMessage | undefined {
  if (!isObject(raw)) return undefined;
  if (raw.type === 'ready') return { type: 'ready' };
  if (raw.type === 'error' && typeof raw.message === 'string') return { type: 'error', message: raw.message };
  if (raw.type === 'result') {
    const ok =
      isCount(raw.published) &&
      isCount(raw.received) &&
      typeof raw.latencyUs === 'string' &&
      typeof raw.transitUs === 'string' &&
      typeof raw.sendLagUs === 'string' &&
      isCount(raw.cpuUs) &&
      isCount(raw.peakRssBytes);
    return ok ? (raw as unknown as FloorResult) : undefined;
  }
  return undefined;
}
