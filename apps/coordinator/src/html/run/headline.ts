// A run's figures at a glance (delivery, losses, amplification, latency percentiles, throughput), then the delivery,
// latency and throughput tables with every figure of the report's totals.
import type { Report, Totals } from '../../model/report.js';
import type { ReportV2 } from '../../results/read-result.js';
import { pageSection } from '../chart-figure.js';
import { figure, figureCell, figureText, type FigureUnit } from '../figure.js';
import { htmlTable, textCell } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

interface Card {
  label: string;
  field: string;
  value: number;
  unit: FigureUnit;
  /** Shown red: a figure that should be 0 (or 100%) and is not. */
  bad?: boolean;
  sub?: SafeHtml | string;
}

export function headlineCards(report: Report | ReportV2): SafeHtml {
  const { totals, latencyUs, throughput } = report;
  const cards: Card[] = [
    {
      label: 'delivery',
      field: 'totals.deliveryRatio',
      value: totals.deliveryRatio,
      unit: 'ratio',
      bad: totals.deliveryRatio < 1,
      sub: html`${figure('totals.delivered', totals.delivered, 'count')} of ${figure('totals.expectedDeliveries', totals.expectedDeliveries, 'count')}`,
    },
    { label: 'lost', field: 'totals.lost', value: totals.lost, unit: 'count', bad: totals.lost > 0 },
    {
      label: 'amplification',
      field: 'totals.amplification',
      value: totals.amplification,
      unit: 'factor',
      bad: totals.amplification !== totals.expectedAmplification,
      sub: html`expected ${figure('totals.expectedAmplification', totals.expectedAmplification, 'factor')}`,
    },
    {
      label: 'self received',
      field: 'totals.selfReceived',
      value: totals.selfReceived,
      unit: 'count',
      bad: totals.selfReceived > 0,
    },
    {
      label: 'duplicates',
      field: 'totals.duplicates',
      value: totals.duplicates,
      unit: 'count',
      bad: totals.duplicates > 0,
    },
    { label: 'latency p50', field: 'latencyUs.p50', value: latencyUs.p50, unit: 'us' },
    { label: 'latency p99', field: 'latencyUs.p99', value: latencyUs.p99, unit: 'us' },
    { label: 'latency p99.9', field: 'latencyUs.p999', value: latencyUs.p999, unit: 'us' },
    { label: 'latency max', field: 'latencyUs.max', value: latencyUs.max, unit: 'us' },
    {
      label: 'delivered',
      field: 'throughput.deliveredEventsPerSec',
      value: throughput.deliveredEventsPerSec,
      unit: 'eventsPerSec',
      sub: html`published ${figure('throughput.publishedEventsPerSec', throughput.publishedEventsPerSec, 'eventsPerSec')}`,
    },
  ];
  return html`<section id="headline"><div class="cards">${cards.map(
    (card) =>
      html`<div class="card${card.bad === true ? ' bad' : ''}"><div class="label">${card.label}</div><div class="value" title="${figureText(card.value, card.unit)}">${figure(card.field, card.value, card.unit)}</div>${
        card.sub === undefined ? '' : html`<div class="label">${card.sub}</div>`
      }</div>`,
  )}</div><p class="muted">Latency is measured from each event's intended send time (coordinated-omission safe), in microseconds.${clockBoundNote(latencyUs)}</p></section>`;
}

/** The clock error bound next to the latency figures, where instances ran on clocks of their own. */
function clockBoundNote(latencyUs: { clockErrorBoundUs?: number }): SafeHtml | string {
  const boundUs = latencyUs.clockErrorBoundUs ?? 0;
  if (boundUs <= 0) return '';
  return html` Instances ran on clocks of their own, corrected by estimated offsets: every latency figure is within ±${figure('latencyUs.clockErrorBoundUs', boundUs, 'us')} of the truth.`;
}

const DELIVERY_ROWS: ReadonlyArray<[keyof Totals, string, FigureUnit]> = [
  ['scheduled', 'scheduled (measured events the schedule asked for)', 'count'],
  ['published', 'published', 'count'],
  ['publishRatio', 'published / scheduled', 'ratio'],
  ['refused', 'refused (not ready: no sequence number taken)', 'count'],
  ['publishFailed', 'publish failed (after taking a sequence number)', 'count'],
  ['expectedDeliveries', 'expected deliveries', 'count'],
  ['delivered', 'delivered', 'count'],
  ['arrivals', 'arrivals (handler calls for measured events)', 'count'],
  ['deliveryRatio', 'delivery ratio', 'ratio'],
  ['amplification', 'amplification', 'factor'],
  ['expectedAmplification', 'expected amplification (N - 1)', 'factor'],
  ['selfEchoesFiltered', 'self echoes filtered', 'count'],
  ['selfReceived', 'self received', 'count'],
  ['duplicates', 'duplicates', 'count'],
  ['outOfOrder', 'out of order', 'count'],
  ['lost', 'lost', 'count'],
  ['lostDuringFaults', 'lost inside fault windows', 'count'],
  ['lostOutsideFaults', 'lost outside fault windows', 'count'],
  ['malformed', 'malformed', 'count'],
  ['redisReportedReceivers', 'receivers (Redis: sum of PUBLISH replies)', 'count'],
  ['instancesCountedReceivers', 'receivers (counted: delivered + self echoes filtered)', 'count'],
];

export function deliverySection(report: Report | ReportV2): SafeHtml {
  const durable = report.run.delivery === 'at-least-once';
  const rows = DELIVERY_ROWS.map(([key, label, unit]) => [
    // XADD has no receiver count: a durable run's sum of replies is 0 by construction, which says nothing.
    textCell(
      durable && key === 'redisReportedReceivers'
        ? 'receivers (Redis: not reported, XADD has no receiver count)'
        : label,
    ),
    figureCell(`totals.${key}`, report.totals[key], unit),
  ]);
  const driverLost = 'driverReportedLost' in report.totals ? report.totals.driverReportedLost : undefined;
  if (driverLost !== undefined) {
    // The drivers' own count beside the ledger's, never merged into it: the two may disagree.
    rows.push([
      textCell("lost (driver says: stream entries trimmed before reading; not the ledger's count)"),
      figureCell('totals.driverReportedLost', driverLost, 'count'),
    ]);
  }
  return pageSection(
    'delivery',
    'Delivery',
    htmlTable([{ header: 'figure' }, { header: 'value', numeric: true }], rows, { id: 'delivery-table' }),
  );
}

type LatencyField = 'count' | 'mean' | 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max';
const LATENCY_COLUMNS: ReadonlyArray<[LatencyField, string]> = [
  ['count', 'count'],
  ['mean', 'mean'],
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
];

/** The latency table: a row per measure, "-" where the report does not keep that percentile. */
export function latencyTable(report: Report | ReportV2): SafeHtml {
  const measures: Array<[string, string, Partial<Record<LatencyField, number>>]> = [
    ['latencyUs', 'from intended time', report.latencyUs],
    ['transitLatencyUs', 'transit (publish call to handler)', report.transitLatencyUs],
    ['sendLagUs', 'send lag (publish call - intended time)', report.sendLagUs],
    ['eventLoopDelayUs', 'event-loop delay (workers)', report.eventLoopDelayUs],
  ];
  const rows = measures.map(([key, label, values]) => [
    textCell(label),
    ...LATENCY_COLUMNS.map(([field]) => {
      const value = values[field];
      if (value === undefined) return textCell('-', true);
      return figureCell(`${key}.${field}`, value, field === 'count' ? 'count' : 'us');
    }),
  ]);
  return htmlTable([{ header: 'latency' }, ...LATENCY_COLUMNS.map(([, header]) => ({ header, numeric: true }))], rows, {
    id: 'latency-table',
  });
}

export function throughputTable(report: Report | ReportV2): SafeHtml {
  const rows: Array<[keyof Report['throughput'], string]> = [
    ['targetEventsPerSec', 'target'],
    ['publishedEventsPerSec', 'published'],
    ['deliveredEventsPerSec', 'delivered'],
  ];
  return htmlTable(
    [{ header: 'throughput' }, { header: 'events/s', numeric: true }],
    rows.map(([key, label]) => [
      textCell(label),
      figureCell(`throughput.${key}`, report.throughput[key], 'eventsPerSec'),
    ]),
    { id: 'throughput-table' },
  );
}
