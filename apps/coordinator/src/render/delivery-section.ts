// The delivery section: exact counts from the ledgers, and whether Redis and the instances agree.

import type { Report, Totals } from '../model/report.js';
import { formatFactor, formatInteger, formatPercent } from './format.js';
import type { Style } from './style.js';
import { renderPairs } from './table.js';

export function deliverySection(report: Report, style: Style): string[] {
  const t = report.totals;
  const peers = Math.max(0, report.run.procs - 1);
  const amplificationOk = Math.abs(t.amplification - t.expectedAmplification) <= 1e-12;
  const durable = report.run.delivery === 'at-least-once';
  const flag = (count: number): string => (count === 0 ? formatInteger(count) : style.bad(formatInteger(count)));
  return [
    style.heading('Delivery'),
    ...renderPairs([
      ['scheduled', formatInteger(t.scheduled)],
      [
        'published',
        `${formatInteger(t.published)} (${t.publishRatio === 1 ? formatPercent(1) : style.bad(formatPercent(t.publishRatio))} of scheduled)`,
      ],
      ['refused', `${flag(t.refused)} (not ready: no sequence number taken, so in no ledger)`],
      ['publish failed', `${flag(t.publishFailed)} (rejected after taking a sequence number)`],
      [
        'expected deliveries',
        `${formatInteger(t.expectedDeliveries)} (each event to ${peers} peer${peers === 1 ? '' : 's'})`,
      ],
      ['delivered', formatInteger(t.delivered)],
      [
        'arrivals',
        `${t.arrivals === t.delivered + t.duplicates + t.selfReceived ? formatInteger(t.arrivals) : style.bad(formatInteger(t.arrivals))} (handler calls for measured events)`,
      ],
      ['delivery ratio', t.deliveryRatio === 1 ? formatPercent(1) : style.bad(formatPercent(t.deliveryRatio))],
      [
        'amplification',
        `${amplificationOk ? formatFactor(t.amplification) : style.bad(formatFactor(t.amplification))} (expected ${formatFactor(t.expectedAmplification)})`,
      ],
      ['self echoes filtered', formatInteger(t.selfEchoesFiltered)],
      ['self received', flag(t.selfReceived)],
      ['duplicates', flag(t.duplicates)],
      ['out of order', flag(t.outOfOrder)],
      ['lost', flag(t.lost)],
      ...(t.driverReportedLost === undefined
        ? []
        : [
            [
              'lost (driver says)',
              `${flag(t.driverReportedLost)} (stream entries the drivers found trimmed before reading: their count, not the ledger's)`,
            ] as [string, string],
          ]),
      ['malformed', flag(t.malformed)],
      ...(durable
        ? [['receivers (Redis)', 'not reported (XADD has no receiver count)'] as [string, string]]
        : [
            ['receivers (Redis)', `${formatInteger(t.redisReportedReceivers)} (sum of PUBLISH replies)`] as [
              string,
              string,
            ],
            [
              'receivers (counted)',
              `${formatInteger(t.instancesCountedReceivers)} (delivered + self echoes filtered)`,
            ] as [string, string],
          ]),
    ]),
    ...(durable ? [] : [receiversLine(t, style)]),
  ];
}

/** One line saying whether Redis and the instances agree on how many receivers got the measured events. */
export function receiversLine(t: Totals, style: Style): string {
  const difference = t.redisReportedReceivers - t.instancesCountedReceivers;
  if (difference === 0) return '  receivers match: every receiver Redis reported was counted by an instance';
  const what =
    difference > 0
      ? `Redis sent ${formatInteger(difference)} deliveries the instances never counted`
      : `the instances counted ${formatInteger(-difference)} deliveries more than Redis reported sending (duplicates or miscounting)`;
  return style.bad(
    `  RECEIVERS MISMATCH: Redis reported ${formatInteger(t.redisReportedReceivers)}, instances counted ${formatInteger(t.instancesCountedReceivers)}: ${what}`,
  );
}
