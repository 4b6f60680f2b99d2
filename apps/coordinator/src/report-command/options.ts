// Parses `pnpm report FILE [--html OUT] [--summary-md OUT] [--junit OUT]` into the file to read and where to write,
// or help, or a one-line error.
import { parseArgs } from 'node:util';
import type { CommandLineResult } from '../command-line/read-command-line.js';
import { findOption, parseArgsConfig } from '../command-line/option-table.js';
import { describeParseArgsError } from '../command-line/parse-args-error.js';
import { reportHelpText } from './help.js';
import { REPORT_OPTION_SPECS, REPORT_USAGE } from './option-specs.js';

export interface ReportOptions {
  /** The result file to show. */
  inputPath: string;
  /** Where to write the HTML page. Without any of the three outputs, the terminal form is printed. */
  htmlPath: string | undefined;
  /** Where to write a run report's Markdown summary. */
  summaryMdPath: string | undefined;
  /** Where to write a run report's JUnit XML. */
  junitPath: string | undefined;
}

/** --help wins over any other argument. Never throws on user input. */
export function parseReportArgs(argv: readonly string[]): CommandLineResult<ReportOptions> {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return { kind: 'help', text: reportHelpText() };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return {
      kind: 'error',
      message: describeParseArgsError(error, 'pnpm report', (name) => findOption(REPORT_OPTION_SPECS, name)),
    };
  }
  const files = parsed.positionals;
  if (files.length === 0) {
    return {
      kind: 'error',
      message: `no result file given: ${REPORT_USAGE}, FILE a JSON from pnpm harness --json or pnpm bench --json`,
    };
  }
  if (files.length > 1) {
    return {
      kind: 'error',
      message: `one result file at a time (got ${files.join(', ')}): run pnpm report once per file`,
    };
  }
  const paths: Partial<Record<'html' | 'summary-md' | 'junit', string>> = {};
  for (const name of ['html', 'summary-md', 'junit'] as const) {
    const value = parsed.values[name];
    if (value === '') return { kind: 'error', message: `--${name} needs a file path: --${name} OUT` };
    if (typeof value === 'string') paths[name] = value;
  }
  return {
    kind: 'run',
    options: {
      inputPath: files[0]!,
      htmlPath: paths.html,
      summaryMdPath: paths['summary-md'],
      junitPath: paths.junit,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: parseArgsConfig(REPORT_OPTION_SPECS),
    strict: true,
    allowPositionals: true,
  });
}
