// The options of `pnpm report FILE`: one row per option; --help and the parser are derived from it.
import { HELP_OPTION, type OptionSpec } from '../command-line/option-table.js';

export type ReportOptionName = 'html' | 'help';

export const REPORT_OPTION_SPECS: readonly OptionSpec<ReportOptionName>[] = [
  {
    name: 'html',
    valueName: '<path>',
    accepts: 'a file path',
    description:
      'write the result as one self-contained HTML page to this file instead of printing it (missing directories are created)',
    defaultText: undefined,
  },
  HELP_OPTION,
];
