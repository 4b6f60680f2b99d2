// The options of `pnpm report FILE`: one row per option; --help and the parser are derived from it.
import { HELP_OPTION, type OptionSpec } from '../command-line/option-table.js';

/** The usage line the help and errors quote. */
export const REPORT_USAGE = 'pnpm report FILE [--html OUT] [--summary-md OUT] [--junit OUT]';

export type ReportOptionName = 'html' | 'summary-md' | 'junit' | 'help';

export const REPORT_OPTION_SPECS: readonly OptionSpec<ReportOptionName>[] = [
  {
    name: 'html',
    valueName: '<path>',
    accepts: 'a file path',
    description:
      'write the result as one self-contained HTML page to this file instead of printing it (missing directories are created)',
    defaultText: undefined,
  },
  {
    name: 'summary-md',
    valueName: '<path>',
    accepts: 'a file path',
    description:
      "write a run report's Markdown summary to this file, as pnpm harness --summary-md does: verdict, thresholds, delivery, latency, faults, problems",
    defaultText: undefined,
  },
  {
    name: 'junit',
    valueName: '<path>',
    accepts: 'a file path',
    description:
      "write a run report's verdict as JUnit XML to this file, as pnpm harness --junit does: one testcase per threshold and per fault",
    defaultText: undefined,
  },
  HELP_OPTION,
];
