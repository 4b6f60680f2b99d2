// The summary's latency: from the intended time (coordinated-omission safe) and transit, p50 to max.
import type { LatencyUs } from '../model/report.js';
import { formatUs } from '../render/format.js';
import { markdownTable } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

type Percentiles = Partial<Pick<LatencyUs, 'p50' | 'p90' | 'p99' | 'p999' | 'max'>>;

export function latencyTable(report: SummaryInput): string[] {
  const row = (label: string, figures: Percentiles): string[] => [
    label,
    ...[figures.p50, figures.p90, figures.p99, figures.p999, figures.max].map((valueUs) =>
      valueUs === undefined ? '-' : formatUs(valueUs),
    ),
  ];
  const lines = [
    '### Latency',
    '',
    ...markdownTable(
      [
        { header: 'latency', align: 'left' },
        { header: 'p50' },
        { header: 'p90' },
        { header: 'p99' },
        { header: 'p99.9' },
        { header: 'max' },
      ],
      [row('from intended time', report.latencyUs), row('transit (publish call to handler)', report.transitLatencyUs)],
    ),
  ];
  const boundUs = report.latencyUs.clockErrorBoundUs ?? 0;
  if (boundUs > 0)
    lines.push(
      '',
      `Clock error bound: ±${formatUs(boundUs)} on every latency figure (instances on clocks of their own, corrected by estimated offsets).`,
    );
  if (report.latencyUs.count === 0) lines.push('', 'No latency samples were recorded.');
  return lines;
}
