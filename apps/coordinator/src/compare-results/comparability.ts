// Whether two results measured the same thing: the settings that must match (else exit 2 naming each difference), and
// the ones that may differ, which become notes.
import type { BenchDocument } from '../bench/bench-document.js';
import { formatDurationMs } from '../config/duration.js';
import type { RunInfo } from '../model/report.js';

/** One setting of both sides, as a difference reads: `procs 3 vs 2`. */
interface Setting {
  name: string;
  base: string;
  new: string;
}

const differing = (settings: readonly Setting[]): string[] =>
  settings.filter((setting) => setting.base !== setting.new).map((s) => `${s.name} ${s.base} vs ${s.new}`);

/** The settings two runs must share to be compared, as `name base vs new`, for each one that differs. */
export function runDifferences(base: RunInfo, next: RunInfo): string[] {
  return differing([
    { name: 'procs', base: String(base.procs), new: String(next.procs) },
    { name: 'rate', base: `${base.rateEventsPerSec}/s`, new: `${next.rateEventsPerSec}/s` },
    { name: 'payload', base: `${base.payloadBytes} B`, new: `${next.payloadBytes} B` },
    { name: 'driver', base: base.driver.name, new: next.driver.name },
    { name: 'driver module', base: base.driver.module ?? '(built-in)', new: next.driver.module ?? '(built-in)' },
    { name: 'mode', base: base.mode, new: next.mode },
    { name: 'isolate', base: base.isolate, new: next.isolate },
    { name: 'pacer', base: base.pacer, new: next.pacer },
  ]);
}

/** What may differ between two comparable runs but is worth saying. */
export function runNotes(base: RunInfo, next: RunInfo): string[] {
  const notes: string[] = [];
  if (base.durationMs !== next.durationMs) {
    notes.push(
      `durations differ (${formatDurationMs(base.durationMs)} vs ${formatDurationMs(next.durationMs)}): each side's figures cover its own window; the test compares their seconds`,
    );
  }
  if (base.warmupMs !== next.warmupMs) {
    notes.push(`warm-ups differ (${formatDurationMs(base.warmupMs)} vs ${formatDurationMs(next.warmupMs)})`);
  }
  return notes;
}

/** The settings two benches must share to be compared, for each one that differs. */
export function benchDifferences(base: BenchDocument, next: BenchDocument): string[] {
  const drivers = (doc: BenchDocument) =>
    doc.settings.drivers === undefined ? '(none)' : doc.settings.drivers.join(',');
  return differing([
    { name: 'bench mode', base: base.mode, new: next.mode },
    { name: 'procs', base: base.settings.procsList.join(','), new: next.settings.procsList.join(',') },
    { name: 'rate', base: `${base.settings.rateEventsPerSec}/s`, new: `${next.settings.rateEventsPerSec}/s` },
    { name: 'payload', base: `${base.settings.payloadBytes} B`, new: `${next.settings.payloadBytes} B` },
    { name: 'drivers', base: drivers(base), new: drivers(next) },
    { name: 'pacer', base: base.settings.pacer, new: next.settings.pacer },
  ]);
}

/** What may differ between two comparable benches but is worth saying. */
export function benchNotes(base: BenchDocument, next: BenchDocument): string[] {
  const notes: string[] = [];
  const { settings: a } = base;
  const { settings: b } = next;
  if (a.durationMs !== b.durationMs) {
    notes.push(
      `durations differ (${formatDurationMs(a.durationMs)} vs ${formatDurationMs(b.durationMs)} per run): each run's figures cover its own window`,
    );
  }
  if (a.warmupMs !== b.warmupMs) {
    notes.push(`warm-ups differ (${formatDurationMs(a.warmupMs)} vs ${formatDurationMs(b.warmupMs)})`);
  }
  if (a.pairs !== b.pairs) notes.push(`rounds differ (${a.pairs} vs ${b.pairs} per arm)`);
  return notes;
}
