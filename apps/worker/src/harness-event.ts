// The payload of a measured harness event: intended and actual send times plus padding to the requested size.

/** Event type the harness publishes during warm-up and measurement. */
export const MEASURE_EVENT = 'evbridge.harness.measure';
/** Event type of the readiness probe round. */
export const PROBE_EVENT = 'evbridge.harness.probe';

export interface MeasurePayload {
  /** Intended send time, monotonic us. */
  i: number;
  /** Time of the actual publish call, monotonic us. */
  s: number;
  /** Padding so the payload has the requested size. */
  p: string;
}

export interface HarnessEvents extends Record<string, unknown> {
  [MEASURE_EVENT]: MeasurePayload;
  [PROBE_EVENT]: { from: string };
}

/** The opaque payload of `payloadBytes` bytes each event carries on top of its two timestamps and the envelope. */
export function paddingFor(payloadBytes: number): string {
  return 'x'.repeat(payloadBytes);
}

/** Cheap shape check on the receive path (no allocation). */
export function isMeasurePayload(data: unknown): data is MeasurePayload {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return Number.isSafeInteger(d.i) && Number.isSafeInteger(d.s) && typeof d.p === 'string';
}

export function isProbePayload(data: unknown): data is { from: string } {
  return typeof data === 'object' && data !== null && typeof (data as { from?: unknown }).from === 'string';
}
