// The summary's delivery: one row of exact counts from the ledgers, and amplification against what N instances expect.
import { formatFactor, formatInteger, formatPercent } from '../render/format.js';
import { markdownTable } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

export function deliveryTable(report: SummaryInput): string[] {
  const t = report.totals;
  return [
    '### Delivery',
    '',
    ...markdownTable(
      [
        { header: 'scheduled' },
        { header: 'published' },
        { header: 'expected' },
        { header: 'delivered' },
        { header: 'lost' },
        { header: 'duplicates' },
        { header: 'self-received' },
        { header: 'amplification' },
      ],
      [
        [
          formatInteger(t.scheduled),
          `${formatInteger(t.published)} (${formatPercent(t.publishRatio)})`,
          formatInteger(t.expectedDeliveries),
          `${formatInteger(t.delivered)} (${formatPercent(t.deliveryRatio)})`,
          formatInteger(t.lost),
          formatInteger(t.duplicates),
          formatInteger(t.selfReceived),
          `${formatFactor(t.amplification)} (expected ${formatFactor(t.expectedAmplification)})`,
        ],
      ],
    ),
    ...(t.driverReportedLost === undefined
      ? []
      : [
          '',
          `The drivers themselves reported ${formatInteger(t.driverReportedLost)} stream entries lost (trimmed before they read them): their count, not the ledger's.`,
        ]),
  ];
}
