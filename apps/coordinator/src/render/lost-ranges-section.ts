// The lost ranges: exactly which events of which sender never reached which receiver (the first few).

import type { Report } from '../model/report.js';
import { formatInteger } from './format.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** How many ranges are listed; the rest are summarised in one line. */
export const LOST_RANGES_SHOWN = 20;

export function lostRangesSection(report: Report, style: Style): string[] {
  const ranges = report.lostRanges;
  if (ranges.length === 0) return [style.heading('Lost ranges: none')];
  const events = ranges.reduce((sum, range) => sum + range.count, 0);
  const lines = [
    style.heading(`Lost ranges (${formatInteger(ranges.length)} ranges, ${formatInteger(events)} events)`),
    ...renderTable(
      [
        { header: 'sender' },
        { header: 'receiver' },
        { header: 'seq from' },
        { header: 'seq to' },
        { header: 'events' },
      ],
      ranges
        .slice(0, LOST_RANGES_SHOWN)
        .map((range) => [
          String(range.sender),
          String(range.receiver),
          String(range.seqFrom),
          String(range.seqTo),
          formatInteger(range.count),
        ]),
    ),
  ];
  const rest = ranges.length - LOST_RANGES_SHOWN;
  if (rest > 0)
    lines.push(
      `  ... and ${formatInteger(rest)} more range${rest === 1 ? '' : 's'} (all of them are in the JSON report)`,
    );
  return lines;
}
