// Parses the `pnpm compare` command line: the two files, the rules and the outputs; or help, or a one-line error.
// Never throws on user input.
import { parseArgs } from 'node:util';
import { GivenOptions } from '../command-line/given-options.js';
import { OptionError, rejectRepeats } from '../command-line/option-reader.js';
import { findOption, parseArgsConfig } from '../command-line/option-table.js';
import * as values from '../command-line/option-values.js';
import { describeParseArgsError } from '../command-line/parse-args-error.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import { parseFailRule, type FailRule } from './fail-rule.js';
import { compareHelpText } from './help.js';
import { COMPARE_OPTION_SPECS, DEFAULT_ALPHA, type CompareOptionName } from './option-specs.js';

export interface CompareCommand {
  basePath: string;
  newPath: string;
  alpha: number;
  rules: FailRule[];
  jsonPath: string | undefined;
  markdownPath: string | undefined;
  htmlPath: string | undefined;
}

export type CompareParseResult =
  | { kind: 'help'; text: string }
  | { kind: 'run'; command: CompareCommand }
  | { kind: 'error'; message: string };

const USAGE = 'pnpm compare BASE.json NEW.json [--fail-on RULE] [--json FILE] [--markdown FILE] [--html FILE]';

export function parseCompareArgs(argv: readonly string[]): CompareParseResult {
  const help = (): CompareParseResult => ({ kind: 'help', text: compareHelpText() });
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (wantsHelp) return help();
    return {
      kind: 'error',
      message: describeParseArgsError(error, 'compare', (name) => findOption(COMPARE_OPTION_SPECS, name)),
    };
  }
  if (parsed.values['help'] === true) return help();
  try {
    rejectRepeats(parsed.tokens, (name) => findOption(COMPARE_OPTION_SPECS, name)?.multiple !== true);
    return { kind: 'run', command: build(parsed.positionals, new GivenOptions(COMPARE_OPTION_SPECS, parsed.values)) };
  } catch (error) {
    if (error instanceof OptionError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: parseArgsConfig(COMPARE_OPTION_SPECS),
    strict: true,
    allowPositionals: true,
    tokens: true,
  });
}

function build(positionals: readonly string[], given: GivenOptions<CompareOptionName>): CompareCommand {
  const [basePath, newPath, ...extra] = positionals;
  if (basePath === undefined || newPath === undefined || extra.length > 0) {
    throw new OptionError(`compare takes two result files, base then new (got ${positionals.length}): ${USAGE}`);
  }
  return {
    basePath,
    newPath,
    alpha: given.take('alpha', alphaValue) ?? DEFAULT_ALPHA,
    rules: given.takeAll('fail-on', parseFailRule),
    jsonPath: given.take('json', values.filePath),
    markdownPath: given.take('markdown', values.filePath),
    htmlPath: given.take('html', values.filePath),
  };
}

function alphaValue(raw: string): Parsed<number> {
  const alpha = Number(raw);
  return raw.trim() !== '' && alpha > 0 && alpha < 1 ? parsedValue(alpha) : parseFailure('');
}
