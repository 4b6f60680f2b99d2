// Renders --compare-modes: both runs' figures side by side with the differences, each run's verdict, what it means.

import type { ComparisonRow, ModeComparison, ModeOutcome } from './mode-comparison.js';
import { COMPARED_MODES } from './mode-comparison.js';
import { formatDurationMs } from '../config/duration.js';
import { formatDecimal, formatFactor, formatInteger, formatPercent } from '../render/format.js';
import { createStyle, type Style } from '../render/style.js';
import { renderTable } from '../render/table.js';
import { verdictLine } from '../render/thresholds-section.js';
import type { RenderOptions } from '../render/report.js';

const BYTES_PER_MIB = 1_048_576;

/** Figure names as the table prints them. */
const LABELS: Record<string, string> = {
  deliveryRatio: 'delivery',
  amplification: 'amplification (N-1 expected)',
  selfReceived: 'own events received',
  lost: 'lost deliveries',
  distinctPids: 'distinct pids',
  'latencyUs.p50': 'latency p50 us',
  'latencyUs.p99': 'latency p99 us',
  'latencyUs.p999': 'latency p99.9 us',
  'latencyUs.max': 'latency max us',
  'transitLatencyUs.p50': 'transit p50 us',
  'transitLatencyUs.p99': 'transit p99 us',
  cpuUsPerInstance: 'CPU ms per instance',
  cpuPercentPerInstance: 'CPU % per instance',
  rssBytesPerInstance: 'RSS MiB per instance',
  'eventLoopDelayUs.p99': 'event-loop delay p99 us',
};

function formatValue(unit: ComparisonRow['unit'], value: number | null, signed = false): string {
  if (value === null) return '-';
  const sign = signed && value > 0 ? '+' : '';
  switch (unit) {
    case 'ratio':
      return signed ? `${sign}${formatDecimal(value * 100, 2)} pts` : formatPercent(value);
    case 'factor':
      return `${sign}${formatFactor(value)}`;
    case 'bytes':
      return `${sign}${formatDecimal(value / BYTES_PER_MIB, 1)}`;
    case 'percent':
      return `${sign}${formatDecimal(value, 1)}`;
    case 'us':
    case 'count':
      return `${sign}${formatInteger(value)}`;
  }
}

/** Figures printed in a larger unit than they are kept in: CPU time in ms (kept in us, as every latency). */
const DIVISORS: Record<string, number> = { cpuUsPerInstance: 1000 };

function cells(row: ComparisonRow): string[] {
  const divisor = DIVISORS[row.figure] ?? 1;
  const shown = (value: number | null, signed = false): string =>
    formatValue(row.unit, value === null ? null : value / divisor, signed);
  return [
    LABELS[row.figure] ?? row.figure,
    shown(row.procs),
    shown(row.threads),
    shown(row.difference, true),
    row.ratio === null ? '-' : `x${formatDecimal(row.ratio, 2)}`,
  ];
}

function outcomeLine(mode: string, outcome: ModeOutcome | null, style: Style): string {
  if (outcome === null) return style.warn(`  ${mode}: not run (the comparison was interrupted first)`);
  if (outcome.report === null)
    return style.bad(`  ${mode}: could not be carried out (exit ${outcome.exitCode}): ${outcome.error ?? 'no report'}`);
  const line = `  ${mode}: ${verdictLine(outcome.report, style)} (exit ${outcome.exitCode})`;
  const identity = outcome.report.identity;
  if (identity === undefined || identity.collisions.length === 0) return line;
  const shared = identity.collisions
    .map((c) => `workers ${c.workers.join(', ')} share instance id "${c.instanceId}"`)
    .join('; ');
  return `${line}\n${style.bad(`    identity collision: ${shared}; their self-filters dropped ${formatInteger(identity.peerEventsDroppedAsOwn)} of their peers' events as their own`)}`;
}

/** No trailing newline. */
export function renderComparison(comparison: ModeComparison, options: RenderOptions = {}): string {
  const style = createStyle(options.color ?? false);
  const first = comparison.runs.procs?.report ?? comparison.runs.threads?.report;
  const lines = [
    style.heading('evbridge --compare-modes: one OS process per instance vs worker threads of one process'),
  ];
  if (first) {
    const { run } = first;
    lines.push(
      `  ${run.procs} instances, ${formatDecimal(run.rateEventsPerSec, 1)} events/s total, ${formatDurationMs(run.durationMs)} measured after ${formatDurationMs(run.warmupMs)} warm-up, ${run.payloadBytes} B payload, driver ${run.driver.name}, identity ${first.identity?.scheme ?? 'default'}, node ${run.nodeVersion}; procs ran first, then threads`,
    );
  }
  lines.push('');
  lines.push(
    ...renderTable(
      [
        { header: 'figure', align: 'left' },
        { header: 'procs' },
        { header: 'threads' },
        { header: 'threads - procs' },
        { header: 'threads / procs' },
      ],
      comparison.rows.map(cells),
    ),
  );
  lines.push(
    "  threads share one process: their CPU and RSS are the process's over N (it includes the coordinator's own thread);",
    '  a process measures itself. Event-loop delay is per thread in both modes.',
    '',
    style.heading('Runs'),
    ...COMPARED_MODES.map((mode) => outcomeLine(mode, comparison.runs[mode], style)),
  );
  return lines.join('\n');
}
