// The bench's terminal output: what ran, the summary table or the sweep table with its fits, find-max maxima.

import { formatDurationMs } from '../config/duration.js';
import { formatSizeBytes } from '../config/size.js';
import { formatDecimal, formatInteger } from '../render/format.js';
import { renderTable, type TableColumn } from '../render/table.js';
import type { BenchDocument } from './bench-document.js';
import { findMaxStepsTable, fitTable, formatRatio, summaryTable, sweepTable, type CellTable } from './cells.js';
import { BENCH_LIMITS } from '../config/bench-defaults.js';
import type { FindMaxPair } from './find-max-pair.js';
import { describeRevision } from './source-revision.js';
import { driverRatiosTable, driversTable, findMaxDriversTable } from './drivers-tables.js';
import type { DriversSummary } from './drivers-plan.js';
import type { FindMaxDrivers } from './find-max-drivers.js';
import type { ProcsSummary } from './summarize.js';

export function renderBench(doc: BenchDocument): string {
  const lines = [headline(doc), ...machineLines(doc), ''];
  lines.push(...noteLines(doc));
  if (doc.mode === 'drivers' && doc.drivers) {
    lines.push(...driversLines(doc.drivers, asText));
  } else if (doc.mode === 'drivers-find-max' && doc.findMaxDrivers) {
    lines.push(...findMaxDriversLines(doc.findMaxDrivers, asText));
  } else if (doc.mode === 'find-max' && doc.findMax !== null) {
    lines.push(...renderFindMax(doc.findMax));
  } else if (doc.mode === 'sweep') {
    lines.push('Medians over the completed pairs per process count (min-max of each in the JSON):', '');
    lines.push(...asText(sweepTable(doc.summary)), '');
    if (doc.sweepFits !== null)
      lines.push('Least-squares fits of the medians against N:', ...asText(fitTable(doc.sweepFits)), '');
  } else {
    for (const summary of doc.summary) {
      lines.push(
        `Median [min-max] over ${summary.pairsCompleted} of ${summary.pairsPlanned} pairs; bridge/raw = median of per-pair ratios${columnNotes(summary, doc.settings.pacer)}:`,
        '',
      );
      lines.push(...asText(summaryTable(summary, doc.settings.pacer)), '');
    }
  }
  if (!isFindMax(doc)) {
    lines.push(
      `worker CPU per delivered event: ${doc.cpuMethod}`,
      `IPC messages per worker per second: ${doc.ipcMethod}`,
      '',
    );
  }
  lines.push(...failureLines(doc));
  return lines.join('\n').replace(/\n+$/, '');
}

/** How the floor and pacer columns read, when the bench ran them. */
export function columnNotes(summary: ProcsSummary, pacer: string): string {
  const notes: string[] = [];
  const overhead = summary.harnessOverhead;
  if (overhead !== null) {
    notes.push(
      `floor = the harness-free floor in the same rounds (${overhead.roundsCompleted} completed; plain processes, same schedule, pacer and Redis), raw/floor = what the harness itself adds`,
    );
  }
  const effect = summary.pacerEffect;
  if (effect !== null) {
    notes.push(
      `the last columns are the bridge on the ${effect.pacer} pacer in the same rounds (${effect.roundsCompleted} completed), per round the bridge on ${pacer} over it (what the pacer alone does)${effect.toFloor ? `, and the bridge on ${effect.pacer} over the floor on ${pacer}` : ''}`,
    );
  }
  return notes.map((note) => `; ${note}`).join('');
}

export function headline(doc: BenchDocument): string {
  const s = doc.settings;
  const procs = s.procsList.join(',');
  const drivers = s.drivers?.join(', ') ?? '';
  const what =
    doc.mode === 'drivers-find-max'
      ? `find-max of each driver in turn (${drivers}), each step`
      : doc.mode === 'drivers'
        ? `${s.pairs} round${s.pairs === 1 ? '' : 's'} of every driver (${drivers}), the order rotated each round`
        : doc.mode === 'find-max'
          ? 'find-max: floor, raw, then bridge, each step'
          : doc.mode === 'pairs'
            ? `${s.pairs} round${s.pairs === 1 ? '' : 's'} per process count: floor, raw, bridge, then the bridge on the other pacer`
            : `${s.pairs} pair${s.pairs === 1 ? '' : 's'} per process count, raw then bridge`;
  const rate = `${formatInteger(s.rateEventsPerSec)} events/s total${isFindMax(doc) ? ' to start' : ''}`;
  const timing = `${formatDurationMs(s.durationMs)} measured after ${formatDurationMs(s.warmupMs)} warmup`;
  const runs = isFindMax(doc) ? `${what} ${timing}` : `${timing}, ${what}`;
  return `evbridge bench: ${procs} procs, ${rate}, ${formatSizeBytes(s.payloadBytes)} payload, ${s.pacer} pacer for all, ${runs}${doc.complete ? '' : ' (INCOMPLETE)'}`;
}

export function machineLines(doc: BenchDocument): string[] {
  const m = doc.machine;
  const load = (values: readonly number[]) => values.map((value) => formatDecimal(value, 2)).join(' ');
  return [
    `machine: ${m.cores} x ${m.cpuModel}, ${formatDecimal(m.totalMemoryBytes / 2 ** 30, 1)} GiB, ${m.os}, kernel ${m.kernel}, Node ${m.nodeVersion}, Redis ${doc.redis.version} (private redis-server)`,
    `code: ${describeRevision(doc.revision)}`,
    `load average (1m 5m 15m): ${load(doc.loadAverage.start)} at start, ${load(doc.loadAverage.end)} at end`,
    `quiet machine: ${describeQuiet(doc.quiet)}`,
  ];
}

/** What the bench saw of other load: before the first run, and during the runs (the load average counts the bench). */
export function describeQuiet(quiet: BenchDocument['quiet']): string {
  const foreign =
    quiet.foreignCoresMax === null
      ? 'not measured (no /proc)'
      : `at most ${formatDecimal(quiet.foreignCoresMax, 2)} cores`;
  return (
    `1-minute load average ${formatDecimal(quiet.startLoad, 2)} before the first run` +
    (quiet.waitedMs > 0 ? ` (after waiting ${formatDurationMs(Math.round(quiet.waitedMs))})` : '') +
    `; processes outside the bench used ${foreign} during a run; quiet means below ${quiet.threshold}`
  );
}

/** Caveats worth printing next to the numbers. */
export function noteLines(doc: BenchDocument): string[] {
  const notes: string[] = [];
  if (!isFindMax(doc) && doc.settings.pairs < BENCH_LIMITS.pairsRecommended) {
    notes.push(
      `note: ${doc.settings.pairs} ${doc.mode === 'drivers' ? 'round' : 'pair'}${doc.settings.pairs === 1 ? '' : 's'} per process count (fewer than ${BENCH_LIMITS.pairsRecommended}): each median rests on little data and its min-max says little; use --pairs=${BENCH_LIMITS.pairsRecommended} for figures to quote`,
    );
  }
  if (doc.quiet.underLoad) {
    notes.push(
      `warning: measured under load (--allow-load): ${describeQuiet(doc.quiet)}. These figures move with whatever else ran; repeat on a quiet machine before quoting them`,
    );
  }
  return notes.length > 0 ? [...notes, ''] : [];
}

export function renderFindMax(pair: FindMaxPair): string[] {
  const lines: string[] = [];
  const arms =
    pair.floor === undefined
      ? ([
          ['raw', pair.raw],
          ['bridge', pair.bridge],
        ] as const)
      : ([
          ['floor (no harness)', pair.floor],
          ['raw', pair.raw],
          ['bridge', pair.bridge],
        ] as const);
  for (const [name, result] of arms) {
    if (result === null) {
      lines.push(`${name}: not searched (interrupted)`, '');
      continue;
    }
    lines.push(`${name}: ${result.steps.length} steps`, ...asText(findMaxStepsTable(result)), '');
  }
  const max = (value: number | null | undefined) =>
    value === null || value === undefined ? 'none' : `${formatInteger(value)} events/s`;
  if (pair.stopped !== null) lines.push(`stopped early: ${pair.stopped} (no ratio)`);
  lines.push(
    `max sustainable rate: ${floorPart(pair, max)}raw ${max(pair.raw?.maxRateEventsPerSec)}, bridge ${max(pair.bridge?.maxRateEventsPerSec)}, bridge/raw ${pair.ratio === null ? '-' : formatRatio(pair.ratio)}`,
    '',
  );
  return lines;
}

/** "floor 70,000 events/s, raw/floor 0.95, " (nothing for JSON from before the floor was searched). */
export function floorPart(pair: FindMaxPair, max: (value: number | null | undefined) => string): string {
  if (pair.floor === undefined) return '';
  const ratio = pair.rawToFloor ?? null;
  return `floor ${max(pair.floor?.maxRateEventsPerSec)}, raw/floor ${ratio === null ? '-' : formatRatio(ratio)}, `;
}

function failureLines(doc: BenchDocument): string[] {
  const lines: string[] = [];
  for (const run of doc.runs) {
    const label = `run ${run.order} (${run.transport}, ${run.pacer} pacer, ${run.procs} procs, pair ${run.pair})`;
    if (run.outcome !== 'complete')
      lines.push(`${label}: ${run.outcome}${run.error ? `: ${run.error}` : ''} (left out of the summary)`);
    else if (run.failedThresholds.length > 0)
      lines.push(`${label}: failed ${run.failedThresholds.join(', ')} (its figures are included)`);
  }
  return lines;
}

export function asText(table: CellTable): string[] {
  const columns: TableColumn[] = table.headers.map((header, index) => ({
    header,
    align: index === 0 || header === 'run' || header === 'reasons' || header === 'verdict' ? 'left' : 'right',
  }));
  return renderTable(columns, table.rows);
}

/** A find-max bench (of the floor/raw/bridge or of drivers): steps, not runs with CPU or IPC figures. */
export const isFindMax = (doc: BenchDocument): boolean => doc.mode === 'find-max' || doc.mode === 'drivers-find-max';

/** A drivers bench's tables, as text or Markdown lines by `format`. */
export function driversLines(summary: DriversSummary, format: (table: CellTable) => string[]): string[] {
  return [
    `${summary.procs} procs, median [min-max] over rounds; ratios are per round over ${summary.base} in the same round, median [min-max]:`,
    '',
    ...format(driversTable(summary)),
    '',
    ...format(driverRatiosTable(summary)),
    '',
  ];
}

/** A drivers find-max bench: each driver's maximum and its ratio to the base driver's. */
export function findMaxDriversLines(found: FindMaxDrivers, format: (table: CellTable) => string[]): string[] {
  return [
    ...(found.stopped === null ? [] : [`stopped early: ${found.stopped} (no ratios)`, '']),
    'Highest rate each driver sustained (delivery 100% and the p99 SLO at every step up to it):',
    '',
    ...format(findMaxDriversTable(found)),
    '',
  ];
}
