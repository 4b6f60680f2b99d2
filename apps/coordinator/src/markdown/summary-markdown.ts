// A run report as a short Markdown summary (--summary-md, $GITHUB_STEP_SUMMARY): what a reviewer reads in ten seconds.
import type { Report } from '../model/report.js';
import type { ReportV2 } from '../results/read-result.js';
import { controlLine } from './control-line.js';
import { deliveryTable } from './delivery-table.js';
import { faultsTable } from './faults-table.js';
import { instancesDetails } from './instances-details.js';
import { latencyTable } from './latency-table.js';
import { problemsTable } from './problems-table.js';
import { thresholdsTable } from './thresholds-table.js';
import { verdictHeading } from './verdict-heading.js';

/**
 * The verdict heading, the thresholds, delivery and latency tables, the faults and problems when there are any, the
 * remote workers' control channel in a run that had them, and the instances (collapsed). Link-free; every piece of user text (driver name, problem, threshold) is escaped.
 * Reads a report of schema 2 or 3. Ends with a newline.
 */
export function renderSummaryMarkdown(report: Report | ReportV2): string {
  const sections = [
    verdictHeading(report),
    thresholdsTable(report),
    deliveryTable(report),
    latencyTable(report),
    faultsTable(report),
    problemsTable(report),
    controlLine(report),
    instancesDetails(report),
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}
