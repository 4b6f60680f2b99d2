// The `pnpm compare` options: one table that drives node:util parseArgs, the help text and error messages.
import { HELP_OPTION, type OptionSpec } from '../command-line/option-table.js';
import { FAIL_RULE_SYNTAX } from './fail-rule.js';

export type CompareOptionName = 'fail-on' | 'alpha' | 'json' | 'markdown' | 'html' | 'help';

/** The significance level when --alpha is not given. */
export const DEFAULT_ALPHA = 0.05;

export const COMPARE_OPTION_SPECS: readonly OptionSpec<CompareOptionName>[] = [
  {
    name: 'fail-on',
    valueName: '<rule>',
    multiple: true,
    accepts: FAIL_RULE_SYNTAX,
    description:
      'exit 1 when this figure got worse beyond the bound AND the change is significant; repeatable (see Rules)',
    defaultText: undefined,
  },
  {
    name: 'alpha',
    valueName: '<p>',
    accepts: 'a significance level between 0 and 1 (exclusive), such as 0.05 or 0.01',
    description: 'significance level of the Mann-Whitney U test: a change is significant when p < alpha',
    defaultText: String(DEFAULT_ALPHA),
  },
  {
    name: 'json',
    valueName: '<path>',
    accepts: 'a file path',
    description: 'also write the comparison as JSON to this file (docs/report.md, "Comparing runs")',
    defaultText: undefined,
  },
  {
    name: 'markdown',
    valueName: '<path>',
    accepts: 'a file path',
    description: 'also write the comparison as a Markdown table to this file',
    defaultText: undefined,
  },
  {
    name: 'html',
    valueName: '<path>',
    accepts: 'a file path',
    description:
      'also write the comparison as one self-contained HTML page to this file (the result, the table, and the samples the test judged, base and new overlaid); it opens from disk with no network',
    defaultText: undefined,
  },
  HELP_OPTION,
];
