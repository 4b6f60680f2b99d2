// Renders a Report as the human-readable text the harness prints when a run ends.

import type { Report } from '../model/report.js';
import { deliverySection } from './delivery-section.js';
import { faultsSection } from './faults-section.js';
import { headerSection } from './header-section.js';
import { identitySection } from './identity-section.js';
import { instancesSection } from './instances-section.js';
import { latencySection } from './latency-section.js';
import { lostRangesSection } from './lost-ranges-section.js';
import { problemsSection } from './problems-section.js';
import { createStyle } from './style.js';
import { thresholdsSection } from './thresholds-section.js';
import { throughputSection } from './throughput-section.js';

export interface RenderOptions {
  /** ANSI colours (bold headings, green PASS, red FAIL). Default false. */
  color?: boolean;
}

/** Sections separated by blank lines, ending with the verdict; no trailing newline. */
export function renderReport(report: Report, options: RenderOptions = {}): string {
  const style = createStyle(options.color ?? false);
  const sections = [
    headerSection(report, style),
    deliverySection(report, style),
    latencySection(report, style),
    throughputSection(report, style),
    identitySection(report, style),
    instancesSection(report, style),
    lostRangesSection(report, style),
    faultsSection(report, style),
    problemsSection(report, style),
    thresholdsSection(report, style),
  ];
  // A section with no lines (faults, when none were injected) is left out.
  return sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}
