// Exactly which events never arrived: sender, receiver and sequence range, the first ones listed.
import type { Report } from '../../model/report.js';
import { formatInteger } from '../../render/format.js';
import type { ReportV2 } from '../../results/read-result.js';
import { pageSection } from '../chart-figure.js';
import { figureCell } from '../figure.js';
import { htmlTable } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

/** Ranges listed on the page; the rest are counted (all are in the JSON). */
export const LOST_RANGES_SHOWN = 50;

export function lostRangesSection(report: Report | ReportV2): SafeHtml {
  const ranges = report.lostRanges;
  if (ranges.length === 0)
    return pageSection('lost-ranges', 'Lost ranges', html`<p>None: every expected delivery arrived.</p>`);
  const events = ranges.reduce((sum, range) => sum + range.count, 0);
  const rest = ranges.length - LOST_RANGES_SHOWN;
  return pageSection(
    'lost-ranges',
    `Lost ranges (${formatInteger(ranges.length)} ranges, ${formatInteger(events)} events)`,
    [
      htmlTable(
        [
          { header: 'sender', numeric: true },
          { header: 'receiver', numeric: true },
          { header: 'seq from', numeric: true },
          { header: 'seq to', numeric: true },
          { header: 'events', numeric: true },
        ],
        ranges
          .slice(0, LOST_RANGES_SHOWN)
          .map((range, index) => [
            figureCell(`lostRanges.${index}.sender`, range.sender, 'id'),
            figureCell(`lostRanges.${index}.receiver`, range.receiver, 'id'),
            figureCell(`lostRanges.${index}.seqFrom`, range.seqFrom, 'id'),
            figureCell(`lostRanges.${index}.seqTo`, range.seqTo, 'id'),
            figureCell(`lostRanges.${index}.count`, range.count, 'count'),
          ]),
        { id: 'lost-ranges-table' },
      ),
      rest > 0
        ? html`<p>... and ${formatInteger(rest)} more range${rest === 1 ? '' : 's'} (all of them are in the JSON report).</p>`
        : '',
    ],
  );
}
