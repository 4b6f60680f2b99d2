// The per-instance table: one row per worker (process or thread), then how any worker ended early.

import type { InstanceRow, Report } from '../model/report.js';
import { formatDecimal, formatInteger, shortenId } from './format.js';
import type { Style } from './style.js';
import { renderTable, type TableColumn } from './table.js';

/** pid as the instance saw it; `host pid` and `thread` only when some row differs from a plain process. */
const LEAD: readonly TableColumn[] = [{ header: '#' }, { header: 'pid' }];
const HOST_PID: TableColumn = { header: 'host pid' };
const THREAD: TableColumn = { header: 'thread' };
/** Only when some clock was estimated (on one host every clock is shared: offset 0, no error). */
const CLOCK_ERROR: TableColumn = { header: 'clock +- us' };
const COLUMNS: readonly TableColumn[] = [
  { header: 'instance', align: 'left' },
  { header: 'published' },
  { header: 'delivered' },
  { header: 'lost' },
  { header: 'dup' },
  { header: 'self-echo' },
  { header: 'self-recv' },
  { header: 'p50 us' },
  { header: 'p99 us' },
  { header: 'max us' },
  { header: 'clock off us' },
  { header: 'RSS MiB' },
  { header: 'CPU %' },
  { header: 'ELD p99 us' },
];

const BYTES_PER_MIB = 1_048_576;

export function instancesSection(report: Report, style: Style): string[] {
  const lines = [style.heading(`Instances (${report.instances.length})`)];
  if (report.instances.length === 0) return [...lines, '  none'];
  const hostPids = report.instances.some((instance) => instance.hostPid !== instance.pid);
  const threads = report.instances.some((instance) => instance.threadId !== 0);
  const estimated = report.instances.some((instance) => instance.clock === 'estimated');
  const columns = [
    ...LEAD,
    ...(hostPids ? [HOST_PID] : []),
    ...(threads ? [THREAD] : []),
    ...COLUMNS,
    ...(estimated ? [CLOCK_ERROR] : []),
  ];
  const rows = report.instances.map((instance) => [
    String(instance.index),
    String(instance.pid),
    ...(hostPids ? [String(instance.hostPid)] : []),
    ...(threads ? [String(instance.threadId)] : []),
    ...row(instance),
    ...(estimated ? [clockError(instance)] : []),
  ]);
  lines.push(...renderTable(columns, rows));
  if (threads) lines.push("  threads share their process: RSS and CPU % are the whole process's, in every row");
  for (const instance of report.instances) {
    if (instance.exit === null) continue;
    const { exitCode, signal, reason } = instance.exit;
    const how = signal === null ? `exit code ${exitCode ?? 'unknown'}` : `signal ${signal}`;
    lines.push(style.bad(`  worker ${instance.index} (pid ${instance.hostPid}) ended early (${how}): ${reason}`));
  }
  return lines;
}

/** An estimated clock's error bound (uncertainty + drift seen); `shared` for one read by the coordinator too. */
function clockError(instance: InstanceRow): string {
  if (instance.clock === 'shared') return 'shared';
  if (instance.clock === 'unmeasured') return '-';
  return formatInteger(instance.clockErrorBoundUs ?? 0);
}

function row(instance: InstanceRow): string[] {
  return [
    shortenId(instance.instanceId),
    formatInteger(instance.published),
    formatInteger(instance.delivered),
    formatInteger(instance.lost),
    formatInteger(instance.duplicates),
    formatInteger(instance.selfEchoesFiltered),
    formatInteger(instance.selfReceived),
    formatInteger(instance.latencyUs.p50),
    formatInteger(instance.latencyUs.p99),
    formatInteger(instance.latencyUs.max),
    formatInteger(instance.clockOffsetUs),
    formatDecimal(instance.rssBytes / BYTES_PER_MIB, 1),
    formatDecimal(instance.cpuPercent, 1),
    formatInteger(instance.eventLoopDelayUs.p99),
  ];
}
