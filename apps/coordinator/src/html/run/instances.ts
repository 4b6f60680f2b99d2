// One row per instance (worker process or thread): what it published and received, its latency and resources, and
// how it ended when it ended early.
import type { InstanceRow, Report } from '../../model/report.js';
import { shortenId } from '../../render/format.js';
import type { ReportV2 } from '../../results/read-result.js';
import { pageSection } from '../chart-figure.js';
import { figureCell, type FigureUnit } from '../figure.js';
import { type HtmlColumn, htmlTable, textCell } from '../html-table.js';
import { html, type SafeHtml } from '../safe-html.js';

type Column = HtmlColumn & { cell(row: InstanceRow, index: number): SafeHtml };

const figureColumn = (
  header: string,
  path: string,
  pick: (row: InstanceRow) => number | null | undefined,
  unit: FigureUnit,
  title?: string,
): Column => ({
  header,
  numeric: true,
  ...(title === undefined ? {} : { title }),
  cell: (row, index) => figureCell(`instances.${index}.${path}`, pick(row), unit),
});

const COLUMNS: readonly Column[] = [
  figureColumn('#', 'index', (row) => row.index, 'id'),
  figureColumn('pid', 'pid', (row) => row.pid, 'id', 'process.pid as the instance saw it'),
  {
    header: 'instance',
    title: 'the instance id the driver used (full id on hover)',
    cell: (row) => html`<td title="${row.instanceId}">${shortenId(row.instanceId, 16)}</td>`,
  },
  figureColumn('published', 'published', (row) => row.published, 'count'),
  figureColumn('delivered', 'delivered', (row) => row.delivered, 'count'),
  figureColumn('lost', 'lost', (row) => row.lost, 'count', 'events this instance should have received and did not'),
  figureColumn('dup', 'duplicates', (row) => row.duplicates, 'count'),
  figureColumn('self-echo', 'selfEchoesFiltered', (row) => row.selfEchoesFiltered, 'count'),
  figureColumn('self-recv', 'selfReceived', (row) => row.selfReceived, 'count'),
  figureColumn('p50', 'latencyUs.p50', (row) => row.latencyUs.p50, 'us'),
  figureColumn('p99', 'latencyUs.p99', (row) => row.latencyUs.p99, 'us'),
  figureColumn('max', 'latencyUs.max', (row) => row.latencyUs.max, 'us'),
  figureColumn('transit p99', 'transitLatencyUs.p99', (row) => row.transitLatencyUs?.p99, 'us'),
  figureColumn(
    'clock offset',
    'clockOffsetUs',
    (row) => row.clockOffsetUs,
    'us',
    'worker clock minus coordinator clock',
  ),
  {
    header: 'clock ±',
    numeric: true,
    title: "shared: the coordinator's own clock (error 0); else the estimate's error bound: uncertainty + drift seen",
    cell: (row, index) =>
      row.clock === 'estimated'
        ? figureCell(`instances.${index}.clockErrorBoundUs`, row.clockErrorBoundUs, 'us')
        : textCell(row.clock ?? '-', true),
  },
  figureColumn('RSS', 'rssBytes', (row) => row.rssBytes, 'bytes'),
  figureColumn('CPU', 'cpuPercent', (row) => row.cpuPercent, 'percent', '% of one core over the measured window'),
  figureColumn('ELD p99', 'eventLoopDelayUs.p99', (row) => row.eventLoopDelayUs.p99, 'us', 'event-loop delay'),
  { header: 'Node', cell: (row) => textCell(row.nodeVersion === '' ? '-' : row.nodeVersion) },
];

export function instancesSection(report: Report | ReportV2): SafeHtml {
  const instances = report.instances;
  if (instances.length === 0) return pageSection('instances', 'Instances', html`<p>None.</p>`);
  const ended = instances.filter((row) => row.exit !== null);
  return pageSection('instances', `Instances (${instances.length})`, [
    htmlTable(
      COLUMNS,
      instances.map((row, index) => COLUMNS.map((column) => column.cell(row, index))),
      { id: 'instances-table', rowClasses: instances.map((row) => (row.exit !== null || row.lost > 0 ? 'fail' : '')) },
    ),
    ...ended.map((row) => {
      const exit = row.exit!;
      const how = exit.signal === null ? `exit code ${exit.exitCode ?? 'unknown'}` : `signal ${exit.signal}`;
      return html`<p class="status-fail">worker ${row.index} (pid ${row.hostPid}) ended early (${how}): ${exit.reason}</p>`;
    }),
  ]);
}
