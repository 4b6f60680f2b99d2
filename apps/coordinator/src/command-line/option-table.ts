// A command's option table, one row per option, and what is derived from it: node:util parseArgs' configuration,
// the row an error message quotes, and the options part of --help.

/** One option of a command line (the harness's, the bench's). */
export interface OptionSpec<Name extends string = string> {
  name: Name;
  short?: string;
  /** Placeholder shown in help; undefined for a flag that takes no value. */
  valueName: string | undefined;
  /**
   * Makes the value optional: a bare `--name` means `--name=<bareValue>` (`--dashboard` or `--dashboard=PORT`). A value
   * must then be joined with `=`: a separate word after a bare `--name` is a stray argument.
   */
  bareValue?: string;
  /** Repeatable: every value is kept, in command-line order. Absent = given at most once. */
  multiple?: boolean;
  /** Completes "--name must be ...": what a valid value looks like. */
  accepts: string;
  description: string;
  /** The default as help shows it; undefined when there is none. */
  defaultText: string | undefined;
}

/** -h, --help: every command has it, and it wins over any other argument. */
export const HELP_OPTION: OptionSpec<'help'> = {
  name: 'help',
  short: 'h',
  valueName: undefined,
  accepts: 'no value',
  description: 'print this help and exit',
  defaultText: undefined,
};

export function findOption<Name extends string>(
  specs: readonly OptionSpec<Name>[],
  name: string,
): OptionSpec<Name> | undefined {
  return specs.find((spec) => spec.name === name);
}

type ParseArgsOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** `argv` with every bare `--name` of an option with a `bareValue` written out as `--name=<bareValue>`. */
export function expandBareValues(argv: readonly string[], specs: readonly OptionSpec[]): string[] {
  const bare = new Map<string, string>(
    specs.flatMap((spec) => (spec.bareValue === undefined ? [] : [[`--${spec.name}`, spec.bareValue] as const])),
  );
  const end = argv.indexOf('--');
  return argv.map((arg, index) => {
    const value = end >= 0 && index > end ? undefined : bare.get(arg);
    return value === undefined ? arg : `${arg}=${value}`;
  });
}

/** The `options` argument of node:util parseArgs, derived from the table. */
export function parseArgsConfig(specs: readonly OptionSpec[]): ParseArgsOptions {
  const config: ParseArgsOptions = {};
  for (const spec of specs) {
    config[spec.name] = {
      type: spec.valueName === undefined ? 'boolean' : 'string',
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  return config;
}

/** The options as --help lists them: "  -h, --help  print this help and exit", descriptions in one column. */
export function optionHelpLines(specs: readonly OptionSpec[]): string[] {
  const heads = specs.map(optionHead);
  const width = Math.max(...heads.map((head) => head.length)) + 2;
  return specs.map((spec, index) => {
    const fallback = spec.defaultText === undefined ? '' : ` (default: ${spec.defaultText})`;
    return `  ${(heads[index] ?? '').padEnd(width)}${spec.description}${fallback}`;
  });
}

function optionHead(spec: OptionSpec): string {
  const short = spec.short === undefined ? '' : `-${spec.short}, `;
  const value =
    spec.valueName === undefined ? '' : spec.bareValue === undefined ? ` ${spec.valueName}` : `[=${spec.valueName}]`;
  return `${short}--${spec.name}${value}`;
}
