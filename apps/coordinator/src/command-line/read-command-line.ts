// Reads a command line against its option table: the help text, a one-line error, or the options the command builds
// from the values. What the harness and the bench share; each says only what differs (its table, help and options).
import { parseArgs } from 'node:util';
import { GivenOptions, type ShowGiven } from './given-options.js';
import { OptionError, rejectRepeats } from './option-reader.js';
import { expandBareValues, findOption, parseArgsConfig, type OptionSpec } from './option-table.js';
import { describeParseArgsError } from './parse-args-error.js';

export type CommandLineResult<T> =
  | { kind: 'help'; text: string }
  | { kind: 'run'; options: T }
  | { kind: 'error'; message: string };

/** One command as the reader needs it. */
export interface CommandLine<Name extends string, T> {
  /** Every option, HELP_OPTION included. */
  specs: readonly OptionSpec<Name>[];
  /** The command as the stray-argument error names it: "the harness", "the bench". */
  program: string;
  helpText(): string;
  /**
   * A single-valued option given twice is refused rather than "last one wins"; true refuses a repeated flag as well,
   * false lets a flag be repeated (it means the same once or twice).
   */
  flagsOnce: boolean;
  /** How an error may quote a given value; absent = as given. */
  show?: ShowGiven<Name>;
  /** The options from the values; throws an OptionError worded for the user on a bad value or combination. */
  build(given: GivenOptions<Name>): T;
  /** Options that were replaced, each with the sentence that says by what (`transport`: 'use --driver ...'). */
  retired?: Readonly<Record<string, string>>;
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** --help wins over any other argument, valid or not. Never throws on user input. */
export function readCommandLine<Name extends string, T>(
  argv: readonly string[],
  command: CommandLine<Name, T>,
): CommandLineResult<T> {
  const find = (name: string): OptionSpec<Name> | undefined => findOption(command.specs, name);
  const retired = retiredOptionIn(argv, command.retired ?? {});
  if (retired !== undefined && !argv.some((arg) => HELP_FLAGS.has(arg))) return { kind: 'error', message: retired };
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv, command.specs);
  } catch (error) {
    if (argv.some((arg) => HELP_FLAGS.has(arg))) return { kind: 'help', text: command.helpText() };
    return { kind: 'error', message: describeParseArgsError(error, command.program, find) };
  }
  if (parsed.values['help'] === true) return { kind: 'help', text: command.helpText() };
  try {
    rejectRepeats(parsed.tokens, (name) => {
      const spec = find(name);
      return spec !== undefined && !spec.multiple && (command.flagsOnce || spec.valueName !== undefined);
    });
    return { kind: 'run', options: command.build(new GivenOptions(command.specs, parsed.values, command.show)) };
  } catch (error) {
    if (error instanceof OptionError) return { kind: 'error', message: error.message };
    throw error;
  }
}

/** The message for the first retired option in `argv` (`--name` or `--name=value`), if any. */
function retiredOptionIn(argv: readonly string[], retired: Readonly<Record<string, string>>): string | undefined {
  for (const arg of argv) {
    const name = /^--([a-z-]+)(?:=|$)/.exec(arg)?.[1];
    if (name !== undefined && Object.hasOwn(retired, name)) return `--${name} is gone: ${retired[name]}`;
  }
  return undefined;
}

function parseRaw(argv: readonly string[], specs: readonly OptionSpec[]) {
  return parseArgs({
    args: expandBareValues(argv, specs),
    options: parseArgsConfig(specs),
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
}
