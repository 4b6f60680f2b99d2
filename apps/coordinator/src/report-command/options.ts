// Parses `pnpm report FILE [--html OUT]` into the file to read and where to write, or help, or a one-line error.
import { parseArgs } from 'node:util';
import type { CommandLineResult } from '../command-line/read-command-line.js';
import { findOption, parseArgsConfig } from '../command-line/option-table.js';
import { describeParseArgsError } from '../command-line/parse-args-error.js';
import { reportHelpText } from './help.js';
import { REPORT_OPTION_SPECS } from './option-specs.js';

export interface ReportOptions {
  /** The result file to show. */
  inputPath: string;
  /** Where to write the HTML page; undefined = print the terminal form. */
  htmlPath: string | undefined;
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
      message:
        'no result file given: pnpm report FILE [--html OUT], FILE a JSON from pnpm harness --json or pnpm bench --json',
    };
  }
  if (files.length > 1) {
    return {
      kind: 'error',
      message: `one result file at a time (got ${files.join(', ')}): run pnpm report once per file`,
    };
  }
  const html = parsed.values['html'];
  if (html === '') return { kind: 'error', message: '--html needs a file path: --html OUT' };
  return { kind: 'run', options: { inputPath: files[0]!, htmlPath: typeof html === 'string' ? html : undefined } };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: parseArgsConfig(REPORT_OPTION_SPECS),
    strict: true,
    allowPositionals: true,
  });
}
