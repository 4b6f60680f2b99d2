// Whether two results measured the same thing: the settings that must match (else exit 2 naming each difference), and
// the ones that may differ, which become notes.
import type { BenchDocument } from '../bench/bench-document.js';
import { formatDurationMs } from '../config/duration.js';
import type { RunInfo } from '../model/report.js';
import type { ComparedSetting } from './comparison.js';

const differing = (settings: readonly ComparedSetting[]): string[] =>
  settings
    .filter((setting) => setting.mustMatch && setting.base !== setting.new)
    .map((s) => `${s.name} ${s.base} vs ${s.new}`);

/** One setting of both sides, as a difference reads it: `procs 3 vs 2`. */
const setting = (name: string, base: string, next: string, mustMatch = true): ComparedSetting => ({
  name,
  base,
  new: next,
  mustMatch,
});

/** What two runs were made with: those they must share to be compared, then duration and warm-up. */
export function runSettings(base: RunInfo, next: RunInfo): ComparedSetting[] {
  return [
    setting('procs', String(base.procs), String(next.procs)),
    setting('rate', `${base.rateEventsPerSec}/s`, `${next.rateEventsPerSec}/s`),
    setting('payload', `${base.payloadBytes} B`, `${next.payloadBytes} B`),
    setting('driver', base.driver.name, next.driver.name),
    setting('driver module', base.driver.module ?? '(built-in)', next.driver.module ?? '(built-in)'),
    setting('mode', base.mode, next.mode),
    setting('isolate', base.isolate, next.isolate),
    setting('pacer', base.pacer, next.pacer),
    setting('duration', formatDurationMs(base.durationMs), formatDurationMs(next.durationMs), false),
    setting('warm-up', formatDurationMs(base.warmupMs), formatDurationMs(next.warmupMs), false),
  ];
}

/** The settings two runs must share to be compared, as `name base vs new`, for each one that differs. */
export function runDifferences(base: RunInfo, next: RunInfo): string[] {
  return differing(runSettings(base, next));
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

/** What two benches were made with: those they must share to be compared, then duration, warm-up and rounds. */
export function benchSettings(base: BenchDocument, next: BenchDocument): ComparedSetting[] {
  const drivers = (doc: BenchDocument) =>
    doc.settings.drivers === undefined ? '(none)' : doc.settings.drivers.join(',');
  const { settings: a } = base;
  const { settings: b } = next;
  return [
    setting('bench mode', base.mode, next.mode),
    setting('procs', a.procsList.join(','), b.procsList.join(',')),
    setting('rate', `${a.rateEventsPerSec}/s`, `${b.rateEventsPerSec}/s`),
    setting('payload', `${a.payloadBytes} B`, `${b.payloadBytes} B`),
    setting('drivers', drivers(base), drivers(next)),
    setting('pacer', a.pacer, b.pacer),
    setting('duration', formatDurationMs(a.durationMs), formatDurationMs(b.durationMs), false),
    setting('warm-up', formatDurationMs(a.warmupMs), formatDurationMs(b.warmupMs), false),
    setting('rounds', String(a.pairs), String(b.pairs), false),
  ];
}

/** The settings two benches must share to be compared, for each one that differs. */
export function benchDifferences(base: BenchDocument, next: BenchDocument): string[] {
  return differing(benchSettings(base, next));
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
