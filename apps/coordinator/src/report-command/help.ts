// The `pnpm report --help` text, generated from the option table so it cannot drift from it.
import { optionHelpLines } from '../command-line/option-table.js';
import { EXIT_CODES } from '../config/exit-codes.js';
import { READABLE_REPORT_SCHEMAS } from '../results/read-result.js';
import { REPORT_OPTION_SPECS, REPORT_USAGE } from './option-specs.js';

export function reportHelpText(): string {
  return [
    `Usage: ${REPORT_USAGE}`,
    '',
    'Shows a result file again: a run report (pnpm harness --json FILE; schemas',
    `${READABLE_REPORT_SCHEMAS.join(' and ')}), a bench result (pnpm bench --json FILE) or a find-max result (pnpm harness`,
    '--find-max --json FILE). Without an output option, prints it as the command that made it did. With --html,',
    'writes one self-contained HTML page that opens from disk with no network: for a run, the verdict and thresholds,',
    'latency by percentile, latency and throughput second by second with the warm-up and faults shaded, the',
    'instances, the sender x receiver loss matrix and the settings; for a bench, the drivers side by side and,',
    'for a find-max, latency against offered rate per driver. Reports of schema 2 render without the',
    'per-second charts and the matrix, which need a re-run with this version.',
    'For a run report, --summary-md and --junit write its Markdown summary and JUnit XML, the same files',
    'pnpm harness --summary-md and --junit write (a bench or find-max result has neither: exit 2).',
    '',
    'Options:',
    ...optionHelpLines(REPORT_OPTION_SPECS),
    '',
    'Exit codes:',
    `  ${EXIT_CODES.passed}  shown or written (whatever the run's verdict: pnpm harness exits with that)`,
    `  ${EXIT_CODES.runFailed}  bad arguments, a file that cannot be read, is not a result or cannot be written, or a`,
    '     run-only output (--summary-md, --junit) asked of a bench or find-max result',
    '',
  ].join('\n');
}
