// The summary's instances: a collapsed table of one row each while that stays short, else one line of their spread.
import type { InstanceRow } from '../model/report.js';
import { formatInteger, formatUs, shortenId } from '../render/format.js';
import { markdownTable } from './markdown-text.js';
import type { SummaryInput } from './summary-input.js';

/** More instances than this get one line instead of a table (the JSON report has every row). */
export const INSTANCE_ROWS_MAX = 10;

/** Workers named in the one-line form's "ended early" list; the rest are counted. */
const EARLY_EXITS_NAMED = 5;

export function instancesDetails(report: SummaryInput): string[] {
  const instances = report.instances;
  if (instances.length === 0) return ['Instances: none.'];
  if (instances.length > INSTANCE_ROWS_MAX) return [spreadLine(instances)];
  return [
    `<details><summary>Instances (${instances.length})</summary>`,
    '',
    ...markdownTable(
      [
        { header: '#' },
        { header: 'pid' },
        { header: 'instance', align: 'left' },
        { header: 'published' },
        { header: 'delivered' },
        { header: 'lost' },
        { header: 'duplicates' },
        { header: 'self-received' },
        { header: 'p50' },
        { header: 'p99' },
        { header: 'max' },
        { header: 'ended early', align: 'left' },
      ],
      instances.map((instance) => [
        String(instance.index),
        String(instance.pid),
        shortenId(instance.instanceId),
        formatInteger(instance.published),
        formatInteger(instance.delivered),
        formatInteger(instance.lost),
        formatInteger(instance.duplicates),
        formatInteger(instance.selfReceived),
        formatUs(instance.latencyUs.p50),
        formatUs(instance.latencyUs.p99),
        formatUs(instance.latencyUs.max),
        exitText(instance),
      ]),
    ),
    '',
    '</details>',
  ];
}

function exitText(instance: InstanceRow): string {
  if (instance.exit === null) return '';
  const { exitCode, signal, reason } = instance.exit;
  return `${signal ?? `exit code ${exitCode ?? 'unknown'}`}: ${reason}`;
}

/** `Instances: 20, lost 0 to 50 each, latency p99 2,011 us to 2,063 us; 1 ended early (worker 3). ...` */
function spreadLine(instances: readonly InstanceRow[]): string {
  const range = (values: number[], format: (value: number) => string) =>
    `${format(Math.min(...values))} to ${format(Math.max(...values))}`;
  const lost = range(
    instances.map((instance) => instance.lost),
    formatInteger,
  );
  const p99 = range(
    instances.map((instance) => instance.latencyUs.p99),
    formatUs,
  );
  return `Instances: ${instances.length}, lost ${lost} each, latency p99 ${p99}; ${earlyExits(instances)}. The JSON report has every row.`;
}

function earlyExits(instances: readonly InstanceRow[]): string {
  const ended = instances.filter((instance) => instance.exit !== null).map((instance) => instance.index);
  if (ended.length === 0) return 'none ended early';
  const named = ended.slice(0, EARLY_EXITS_NAMED).join(', ');
  const more = ended.length > EARLY_EXITS_NAMED ? ` and ${ended.length - EARLY_EXITS_NAMED} more` : '';
  return `${ended.length} ended early (worker${ended.length === 1 ? '' : 's'} ${named}${more})`;
}
