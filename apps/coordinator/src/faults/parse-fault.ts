// Parses one --fault value, KIND@TIME[:DURATION], into a FaultSpec; never throws on user input.
import { formatDurationMs, tryParseDurationMs } from '../config/duration.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import type { FaultSpec } from '../config/fault-spec.js';
import { FAULT_KINDS, FAULT_KIND_NAMES, faultForm, isFaultKind } from '../model/fault-kinds.js';

/** The accepted forms, for --help and "--fault must be ..." errors. */
export const FAULT_SYNTAX = `KIND@TIME[:DURATION] with KIND one of ${FAULT_KIND_NAMES.join(', ')} and TIME after measurement starts, such as block-worker@5s:500ms or pause-redis-writes@2s:1s`;

const FAULT = /^([^@]*)@([^:]*)(?::(.*))?$/;

export function parseFault(raw: string): Parsed<FaultSpec> {
  const match = FAULT.exec(raw.trim());
  if (match === null) return parseFailure('no "@": write KIND@TIME, then :DURATION where the kind takes one');
  const [, kindText = '', atText = '', durationText] = match;
  if (!isFaultKind(kindText)) return parseFailure(`unknown kind ${JSON.stringify(kindText)}`);
  const kind = kindText;
  const at = tryParseDurationMs(atText);
  if (!at.ok) return parseFailure(`TIME ${JSON.stringify(atText)}: ${at.reason}`);
  const form = faultForm(kind);
  if (FAULT_KINDS[kind].duration === 'none') {
    if (durationText !== undefined) return parseFailure(`${kind} takes no duration: write ${form}`);
    return parsedValue({ kind, atMs: at.value, durationMs: 0 });
  }
  if (durationText === undefined) return parseFailure(`${kind} needs a duration: write ${form}`);
  const duration = tryParseDurationMs(durationText);
  if (!duration.ok) return parseFailure(`DURATION ${JSON.stringify(durationText)}: ${duration.reason}`);
  if (duration.value <= 0) return parseFailure('DURATION must be more than 0ms');
  return parsedValue({ kind, atMs: at.value, durationMs: duration.value });
}

/** "block-worker@1s:500ms": the canonical text of a fault. */
export function formatFault(fault: FaultSpec): string {
  const at = `${fault.kind}@${formatDurationMs(fault.atMs)}`;
  return FAULT_KINDS[fault.kind].duration === 'none' ? at : `${at}:${formatDurationMs(fault.durationMs)}`;
}

/**
 * Checks the faults against the run: each must fall inside the measured window. Returns a one-line reason
 * naming the fault and the fix, or undefined when they all fit.
 */
export function checkFaultTimes(faults: readonly FaultSpec[], runDurationMs: number): string | undefined {
  for (const fault of faults) {
    if (fault.atMs >= runDurationMs) {
      return `--fault ${formatFault(fault)} is at ${formatDurationMs(fault.atMs)}, not inside the measured window (--duration ${formatDurationMs(runDurationMs)}); give a TIME below ${formatDurationMs(runDurationMs)} or a longer --duration`;
    }
  }
  return undefined;
}

/** True when any fault hits a worker (so --fault-target means something). */
export function targetsWorker(faults: readonly FaultSpec[]): boolean {
  return faults.some((fault) => FAULT_KINDS[fault.kind].target === 'worker');
}
