// The latency section: from the intended send time, transit from the publish call, and the pacer's send lag.

import type { Report } from '../model/report.js';
import { formatInteger, formatUs } from './format.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

type Figures = Partial<Record<'count' | 'mean' | 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max', number>>;

const COLUMNS = [
  { header: '', align: 'left' },
  { header: 'count' },
  { header: 'mean' },
  { header: 'p50' },
  { header: 'p90' },
  { header: 'p95' },
  { header: 'p99' },
  { header: 'p99.9' },
  { header: 'max' },
] as const;

export function latencySection(report: Report, style: Style): string[] {
  const rows = [
    row('from intended time', report.latencyUs),
    row('transit', report.transitLatencyUs),
    row('send lag', report.sendLagUs),
  ];
  const lines = [style.heading('Latency'), ...renderTable(COLUMNS, rows)];
  lines.push('  from intended time: due time to handler (includes pacing delay, coordinated-omission safe)');
  lines.push('  transit: publish call to handler (bridge + Redis); send lag: publish call minus due time');
  const boundUs = report.latencyUs.clockErrorBoundUs ?? 0;
  if (boundUs > 0)
    lines.push(
      `  clock error bound: +-${formatUs(boundUs)} on every latency and transit figure (instances on clocks of their own, corrected by estimated offsets)`,
    );
  if (report.latencyUs.count === 0) lines.push(style.bad('  no latency samples were recorded'));
  return lines;
}

function row(label: string, figures: Figures): string[] {
  const us = (value: number | undefined) => (value === undefined ? '-' : formatUs(value));
  return [
    label,
    figures.count === undefined ? '-' : formatInteger(figures.count),
    us(figures.mean),
    us(figures.p50),
    us(figures.p90),
    us(figures.p95),
    us(figures.p99),
    us(figures.p999),
    us(figures.max),
  ];
}
