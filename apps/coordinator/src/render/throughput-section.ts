// The throughput section: the target rate against what was published and delivered.

import type { Report } from '../model/report.js';
import { formatDecimal } from './format.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

export function throughputSection(report: Report, style: Style): string[] {
  const t = report.throughput;
  const rate = (value: number) => `${formatDecimal(value, 1)} events/s`;
  return [
    style.heading('Throughput'),
    ...renderTable(
      [{ header: '', align: 'left' }, { header: '' }],
      [
        ['target', rate(t.targetEventsPerSec)],
        ['published', rate(t.publishedEventsPerSec)],
        ['delivered', rate(t.deliveredEventsPerSec)],
      ],
      { header: false },
    ),
  ];
}
