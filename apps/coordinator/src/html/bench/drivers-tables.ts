// A drivers bench as tables with every median, min and max traceable to the JSON: each driver's figures, and each
// run's; the ratios to the base driver as the terminal prints them.
import { DRIVER_COLUMNS } from '../../bench/drivers-tables.js';
import type { DriversSummary } from '../../bench/drivers-plan.js';
import { type BenchMetricKey, benchMetric } from '../../bench/metrics.js';
import type { BenchRun } from '../../bench/run-pairs.js';
import type { Span } from '../../bench/summarize.js';
import { figure, figureCell, type FigureUnit } from '../figure.js';
import { htmlTable, textCell } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

/** How a bench figure is written: latencies in µs, the delivery ratio as a percent, the others with one decimal. */
export function benchUnit(key: BenchMetricKey): FigureUnit {
  if (key === 'deliveryRatio') return 'ratio';
  if (key.endsWith('Us') && key !== 'cpuUsPerDelivered') return 'us';
  return 'decimal';
}

/** "887 [860-990]": the median, and the span over rounds when it has one. */
function spanCell(path: string, span: Span | null, unit: FigureUnit): SafeHtml {
  if (span === null) return textCell('-', true);
  const median = figure(`${path}.median`, span.median, unit);
  if (span.count === 1 || span.min === span.max) return html`<td class="num">${median}</td>`;
  return html`<td class="num">${median} <span class="muted">[${figure(`${path}.min`, span.min, unit, true)}-${figure(`${path}.max`, span.max, unit, true)}]</span></td>`;
}

/** One row per driver: rounds completed, then each figure as median [min-max] over rounds. */
export function driversFiguresHtml(summary: DriversSummary): SafeHtml {
  const metrics = DRIVER_COLUMNS.map(benchMetric);
  return htmlTable(
    [
      { header: 'driver' },
      { header: 'rounds', numeric: true },
      ...metrics.map((metric) => ({ header: metric.label, numeric: true })),
    ],
    summary.drivers.map((entry, index) => [
      textCell(entry.driver),
      textCell(`${entry.roundsCompleted}/${summary.roundsPlanned}`, true),
      ...metrics.map((metric) =>
        spanCell(`drivers.drivers.${index}.figures.${metric.key}`, entry.figures[metric.key], benchUnit(metric.key)),
      ),
    ]),
    { id: 'drivers-table' },
  );
}

const RUN_COLUMNS: readonly BenchMetricKey[] = [
  'latencyP50Us',
  'latencyP99Us',
  'transitP99Us',
  'cpuUsPerDelivered',
  'rssPeakMeanMb',
  'deliveryRatio',
];

/** Every run of the bench in the order it ran: what, its outcome, its main figures. */
export function benchRunsHtml(runs: readonly BenchRun[]): SafeHtml {
  const metrics = RUN_COLUMNS.map(benchMetric);
  return htmlTable(
    [
      { header: 'run', numeric: true },
      { header: 'driver' },
      { header: 'round', numeric: true },
      { header: 'procs', numeric: true },
      { header: 'outcome' },
      ...metrics.map((metric) => ({ header: metric.short, numeric: true, title: metric.label })),
      { header: 'notes' },
    ],
    runs.map((run, index) => [
      figureCell(`runs.${index}.order`, run.order, 'id'),
      textCell(`${run.transport}${run.pacer === 'open-loop' ? '' : ` (${run.pacer})`}`),
      figureCell(`runs.${index}.pair`, run.pair, 'id'),
      figureCell(`runs.${index}.procs`, run.procs, 'count'),
      textCell(run.outcome, false, run.outcome === 'complete' ? '' : 'status-fail'),
      ...metrics.map((metric) =>
        run.figures === null
          ? textCell('-', true)
          : figureCell(`runs.${index}.figures.${metric.key}`, run.figures[metric.key], benchUnit(metric.key)),
      ),
      textCell(
        [run.error ?? '', run.failedThresholds.length > 0 ? `failed ${run.failedThresholds.join(', ')}` : '']
          .filter((note) => note !== '')
          .join('; '),
      ),
    ]),
    { id: 'runs-table', rowClasses: runs.map((run) => (run.outcome === 'complete' ? '' : 'fail')) },
  );
}
