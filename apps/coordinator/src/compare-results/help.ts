// The `pnpm compare --help` text, its options from the option table so it cannot drift from it.
import { optionHelpLines } from '../command-line/option-table.js';
import { COMPARE_METRICS, type CompareMetric } from './compare-metrics.js';
import { COMPARE_EXIT_CODES } from './comparison.js';
import { COMPARE_OPTION_SPECS } from './option-specs.js';

/** Where a figure is judged, when not on both kinds of result. */
function scope(metric: CompareMetric): string {
  if (metric.run === undefined) return ' (benches)';
  if (metric.bench === undefined) return ' (runs)';
  return metric.run.judged.by === 'none' ? ' (judged on benches only)' : '';
}

export function compareHelpText(): string {
  const width = Math.max(...COMPARE_METRICS.map((metric) => metric.name.length)) + 2;
  return [
    'Usage: pnpm compare BASE.json NEW.json [options]',
    '',
    'Compares two run reports (pnpm harness --json) or two bench results (pnpm bench --json): per figure the two',
    'values, the change, and whether the change is significant, judged by a two-sided Mann-Whitney U test on the',
    "per-second values of the two runs' measured windows (for benches: on each arm's runs), not on the two single",
    'numbers. Runs that differ in procs, rate, payload, driver, mode or pacer are refused (exit 2).',
    '',
    'Options:',
    ...optionHelpLines(COMPARE_OPTION_SPECS),
    '',
    'Rules (--fail-on METRIC>+BOUND or METRIC<-BOUND; quote it in the shell):',
    '  The operator points the way the figure gets worse: > for latency, CPU, memory and losses, < for rates',
    "  and the delivery ratio. BOUND is a percent of the base value (p99>+10%) or an amount in the figure's",
    '  unit: latency with us, ms or s (p99>+2ms), rates in events/s (delivered/s<-50), counts (lost>+0), the',
    '  delivery ratio as a fraction (delivery<-0.001), CPU in percentage points, RSS in MB.',
    '  A rule fails when the change goes beyond the bound AND is significant; lost and delivery are exact',
    '  tallies of the whole run, so any change of them is. A rule on a figure that cannot be judged here',
    '  (a schema 2 report, a bench arm with one run) stops the comparison with exit 2.',
    '  Figures:',
    ...COMPARE_METRICS.map((metric) => `    ${metric.name.padEnd(width)}${metric.label}${scope(metric)}`),
    '  Also: delivered/s, published/s, p99.9, cpu, rss.',
    '',
    'Exit codes:',
    `  ${COMPARE_EXIT_CODES.noRegression}  compared; no --fail-on rule found a significant regression beyond its bound`,
    `  ${COMPARE_EXIT_CODES.regressed}  a --fail-on rule found one`,
    `  ${COMPARE_EXIT_CODES.cannotCompare}  not compared: unreadable file, two kinds of result, different settings, a bad option or rule`,
    '',
  ].join('\n');
}
