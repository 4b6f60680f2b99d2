// A bench as a dated BENCHMARKS.md section (machine, command, tables), and appending it to the file.

import { readFile, writeFile } from 'node:fs/promises';
import type { BenchDocument } from './bench-document.js';
import { findMaxStepsTable, fitTable, formatRatio, summaryTable, sweepTable, type CellTable } from './cells.js';
import {
  columnNotes,
  driversLines,
  findMaxDriversLines,
  floorPart,
  headline,
  isFindMax,
  machineLines,
  noteLines,
} from './render.js';

export const BENCHMARKS_PREAMBLE = [
  '# evbridge benchmarks',
  '',
  'Sections below are appended by `pnpm bench` (newest last) and never edited by hand. On one private',
  'redis-server each round runs the harness-free floor (plain processes, no harness), the raw ioredis driver',
  'and @evbridge/bridge through the harness on one pacer, then the bridge on the other pacer; with',
  '`--drivers`, each round runs every listed driver once, the order rotated each round. Each figure is the',
  'median over rounds with its min-max, and each ratio the median of the per-round ratios. A section',
  'measured on a machine that was not quiet carries its warning. The JSON of each bench holds every run.',
  '',
].join('\n');

/** The section, starting with its "## <date> UTC: <command>" heading and ending with a blank line. */
export function renderBenchmarksSection(doc: BenchDocument): string {
  const lines = [
    `## ${dateOf(doc.startedAt)} UTC: \`${doc.command}\``,
    '',
    headline(doc).replace(/^evbridge bench: /, ''),
    '',
  ];
  for (const line of machineLines(doc)) lines.push(`- ${line.replace(/^(\w[\w ()]*?): /, '**$1**: ')}`);
  // A find-max section has steps, not runs with CPU or IPC figures.
  if (!isFindMax(doc)) {
    lines.push(`- **worker CPU per delivered event**: ${doc.cpuMethod}`);
    lines.push(`- **IPC messages per worker per second**: ${doc.ipcMethod}`);
  }
  lines.push('');
  for (const note of noteLines(doc)) if (note !== '') lines.push(`> ${note}`, '');
  if (doc.mode === 'drivers' && doc.drivers) {
    lines.push(...driversLines(doc.drivers, asMarkdown));
  } else if (doc.mode === 'drivers-find-max' && doc.findMaxDrivers) {
    lines.push(...findMaxDriversLines(doc.findMaxDrivers, asMarkdown));
    for (const entry of doc.findMaxDrivers.drivers) {
      if (entry.result !== null)
        lines.push(`${entry.driver} search:`, '', ...asMarkdown(findMaxStepsTable(entry.result)), '');
    }
  } else if (doc.mode === 'find-max' && doc.findMax !== null) {
    const { floor, raw, bridge, ratio } = doc.findMax;
    for (const [name, result] of [
      ['floor (no harness)', floor ?? null],
      ['raw', raw],
      ['bridge', bridge],
    ] as const) {
      if (result === null) continue;
      lines.push(`${name} search:`, '', ...asMarkdown(findMaxStepsTable(result)), '');
    }
    const max = (value: number | null | undefined) =>
      value === null || value === undefined ? 'none' : `${value} events/s`;
    lines.push(
      `**Max sustainable rate**: ${floorPart(doc.findMax, max)}raw ${max(raw?.maxRateEventsPerSec)}, bridge ${max(bridge?.maxRateEventsPerSec)}, bridge/raw **${ratio === null ? '-' : formatRatio(ratio)}**`,
      '',
    );
  } else if (doc.mode === 'sweep') {
    lines.push('Medians per process count (min-max in the JSON):', '', ...asMarkdown(sweepTable(doc.summary)), '');
    if (doc.sweepFits !== null)
      lines.push('Least-squares fits of the medians against N:', '', ...asMarkdown(fitTable(doc.sweepFits)), '');
  } else {
    for (const summary of doc.summary) {
      lines.push(
        `${summary.procs} procs, median [min-max] over ${summary.pairsCompleted} of ${summary.pairsPlanned} pairs${columnNotes(summary, doc.settings.pacer)}:`,
        '',
      );
      lines.push(...asMarkdown(summaryTable(summary, doc.settings.pacer)), '');
    }
  }
  const skipped = doc.runs.filter((run) => run.outcome !== 'complete');
  for (const run of skipped)
    lines.push(
      `- run ${run.order} (${run.transport}, ${run.procs} procs): ${run.outcome}${run.error ? `: ${run.error}` : ''}`,
    );
  if (skipped.length > 0) lines.push('');
  return `${lines.join('\n')}\n`;
}

/**
 * Appends `section` after a blank line, creating the file with its preamble when absent. A preamble of ours
 * (everything before the first section, when it opens with our title) is rewritten to the current one, so what it
 * says of the sections stays true; anything else there is kept as it is.
 */
export async function appendBenchmarksSection(path: string, section: string): Promise<void> {
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing === undefined) {
    await writeFile(path, `${BENCHMARKS_PREAMBLE}\n${section}`);
    return;
  }
  const firstSection = existing.search(/^## /m);
  const ours = existing.startsWith(BENCHMARKS_PREAMBLE.slice(0, BENCHMARKS_PREAMBLE.indexOf('\n')));
  const body = ours ? (firstSection < 0 ? '' : existing.slice(firstSection)) : existing;
  const head = ours ? `${BENCHMARKS_PREAMBLE}\n` : '';
  const separator = body === '' || body.endsWith('\n\n') ? '' : body.endsWith('\n') ? '\n' : '\n\n';
  await writeFile(path, `${head}${body}${separator}${section}`);
}

/** A GitHub table: the first column left-aligned, the others right-aligned; pipes in cells escaped. */
export function asMarkdown(table: CellTable): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const align = table.headers.map((header, index) =>
    index === 0 || header === 'run' || header === 'reasons' || header === 'verdict' ? ':---' : '---:',
  );
  return [
    `| ${table.headers.map(cell).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...table.rows.map((row) => `| ${table.headers.map((_, index) => cell(row[index] ?? '')).join(' | ')} |`),
  ];
}

/** "2025-06-01T12:34:56.789Z" -> "2025-06-01 12:34". */
function dateOf(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}
